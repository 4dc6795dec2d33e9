using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace Bridge.Benchmarks.Upstream;

/// <summary>
/// Prefect's <c>/events/out</c> as far as Bridge's listener needs it: subprotocol <c>prefect</c>, the <c>auth</c> message
/// answered <c>auth_success</c>, the <c>filter</c> taken, and then a quiet stream (no flow run ends in this benchmark)
/// until the client goes.
/// </summary>
internal sealed class PrefectEventSocket(CallLog log)
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
            while (await ReceiveAsync(socket, buffer, context.RequestAborted))
            {
                // The filter, then nothing: the stream stays open and quiet.
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
