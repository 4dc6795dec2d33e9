using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// The websocket <c>/events/out</c>, as <c>api/events.py::stream_workspace_events_out</c> serves it: subprotocol
/// <c>prefect</c>; the first message must be <c>{"type":"auth","token":…}</c> (else close 1008 "Expected 'auth'
/// message"; a wrong token closes 1008 "Invalid token"), answered <c>{"type":"auth_success"}</c>; the second must be
/// <c>{"type":"filter","filter":{…},"backfill":true}</c> (else close 1002). Matching stored events are replayed
/// (oldest first), then live ones follow as <c>{"type":"event","event":{…}}</c>.
/// </summary>
internal sealed class EventsOutEndpoint(PrefectEventLog log, PrefectRules rules, EventStreamControl control, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder api) =>
        api.Map("/events/out", (Func<HttpContext, Task>)HandleAsync);

    private async Task HandleAsync(HttpContext context)
    {
        if (control.Refuse)
        {
            control.CountRefused();
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await PrefectResults.Detail(StatusCodes.Status400BadRequest, "Expected a websocket").ExecuteAsync(context);
            return;
        }

        var handshake = context.WebSockets.WebSocketRequestedProtocols.Contains("prefect");
        using var socket = await context.WebSockets.AcceptWebSocketAsync(handshake ? "prefect" : null);
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, control.Register(socket, context));
        try
        {
            await ServeAsync(socket, handshake, cut.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away, or a test dropped the stream.
        }
        finally
        {
            control.Unregister(socket);
        }
    }

    private async Task ServeAsync(WebSocket socket, bool handshake, CancellationToken cancellationToken)
    {
        if (handshake)
        {
            var auth = await ReceiveAsync(socket, cancellationToken);
            if (auth?["type"]?.GetValue<string>() != "auth")
            {
                await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Expected 'auth' message", cancellationToken);
                return;
            }

            var token = auth["token"] is JsonValue t && t.TryGetValue(out string? text) ? text : null;
            if (!rules.IsValidStreamToken(token))
            {
                await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Invalid token", cancellationToken);
                return;
            }

            await SendAsync(socket, new JsonObject { ["type"] = "auth_success" }, cancellationToken);
        }
        else if (!rules.IsValidStreamToken(null))
        {
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Expected 'auth' message", cancellationToken);
            return;
        }

        var request = await ReceiveAsync(socket, cancellationToken);
        EventStreamFilter filter;
        try
        {
            if (request?["type"]?.GetValue<string>() != "filter")
            {
                throw new FormatException("expected a filter message");
            }

            filter = EventStreamFilter.Parse(request["filter"], time.GetUtcNow());
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            await socket.CloseAsync(WebSocketCloseStatus.ProtocolError, "Invalid filter", cancellationToken);
            return;
        }

        var backfill = request!["backfill"] is not JsonValue b || !b.TryGetValue(out bool wanted) || wanted;
        await StreamAsync(socket, filter, backfill, cancellationToken);
    }

    private async Task StreamAsync(WebSocket socket, EventStreamFilter filter, bool backfill, CancellationToken cancellationToken)
    {
        var live = Channel.CreateUnbounded<JsonObject>();
        void OnEmitted(JsonObject item) => live.Writer.TryWrite(item);
        log.Emitted += OnEmitted;
        try
        {
            var sent = new HashSet<string>(StringComparer.Ordinal);
            if (backfill)
            {
                foreach (var item in log.All().Where(e => filter.Matches(e, live: false)))
                {
                    sent.Add(item["id"]!.GetValue<string>());
                    await SendAsync(socket, Event(item), cancellationToken);
                }
            }

            var closed = DrainUntilClosedAsync(socket, cancellationToken);
            while (true)
            {
                var ready = live.Reader.WaitToReadAsync(cancellationToken).AsTask();
                if (await Task.WhenAny(ready, closed) == closed)
                {
                    return;
                }

                while (live.Reader.TryRead(out var item))
                {
                    if (!sent.Contains(item["id"]!.GetValue<string>()) && filter.Matches(item, live: true))
                    {
                        await SendAsync(socket, Event(item), cancellationToken);
                    }
                }
            }
        }
        finally
        {
            log.Emitted -= OnEmitted;
        }
    }

    private static JsonObject Event(JsonObject item) => new() { ["type"] = "event", ["event"] = item.DeepClone() };

    private static async Task DrainUntilClosedAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }
    }

    private static async Task SendAsync(WebSocket socket, JsonObject message, CancellationToken cancellationToken) =>
        await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    private static async Task<JsonObject?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(chunk, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                try
                {
                    return JsonNode.Parse(buffer.ToArray()) as JsonObject;
                }
                catch (JsonException)
                {
                    return null;
                }
            }
        }
    }
}
