using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace Bridge.Benchmarks.Upstream;

/// <summary>
/// Prefect's <c>/events/out</c> as far as Bridge's listener needs it: subprotocol <c>prefect</c>, the <c>auth</c> message
/// answered <c>auth_success</c>, the <c>filter</c> taken, and then the events <see cref="RunEnds"/> tells (none outside
/// the completion phase) until the client goes.
/// </summary>
internal sealed class PrefectEventSocket(CallLog log, RunEnds runEnds)
{
    public async Task ServeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        log.Count(UpstreamEndpoints.EventStream);
        using var socket = await context.WebSockets.AcceptWebSocketAsync("prefect");
        var buffer = new byte[8192];
        try
        {
            if (!await ReceiveAsync(socket, buffer, context.RequestAborted))
            {
                return;
            }

            await socket.SendAsync("""{"type":"auth_success"}"""u8.ToArray(), WebSocketMessageType.Text, true, context.RequestAborted);
            if (!await ReceiveAsync(socket, buffer, context.RequestAborted))
            {
                return;
            }

            // The filter is taken; from now on the runs that end are told, until the client closes.
            var outbox = runEnds.Listen();
            using var closed = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            try
            {
                var receiving = Task.Run(async () =>
                {
                    while (await ReceiveAsync(socket, buffer, closed.Token))
                    {
                    }

                    await closed.CancelAsync();
                });
                await foreach (var message in outbox.Reader.ReadAllAsync(closed.Token))
                {
                    await socket.SendAsync(message, WebSocketMessageType.Text, true, closed.Token);
                }

                await receiving;
            }
            catch (OperationCanceledException) when (closed.IsCancellationRequested)
            {
            }
            finally
            {
                runEnds.Unlisten(outbox);
            }

            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The worker was stopped.
        }
    }

    /// <summary>Reads one whole message; false when the client closed.</summary>
    static async Task<bool> ReceiveAsync(WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return false;
            }

            if (result.EndOfMessage)
            {
                return true;
            }
        }
    }
}
