using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Bridge.Worker.Observability;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Prefect;

/// <summary>
/// Prefect's event stream, <c>/events/out</c>: a websocket with subprotocol <c>prefect</c>, an <c>auth</c> message
/// (the API key or the basic-auth string), then a <c>filter</c> for flow-run events, replayed from a given time
/// (backfill) and then live. Event frames that are not flow-run events are counted and dropped.
/// </summary>
internal sealed class PrefectEventStream(IOptions<PrefectOptions> options, TimeProvider time, BridgeMetrics metrics, ILogger<PrefectEventStream> logger)
{
    private int _connections;

    /// <summary>Successful handshakes so far (for tests and diagnostics).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The flow-run events that occurred from <paramref name="since"/> on, until Prefect closes the stream.</summary>
    /// <exception cref="InvalidOperationException">Prefect refused the credentials.</exception>
    public async IAsyncEnumerable<FlowRunEvent> ReadAsync(DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefect = options.Value;
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("prefect");
        await socket.ConnectAsync(EventsUri(prefect), cancellationToken);
        var token = prefect.ApiKey is { Length: > 0 } key ? key : prefect.BasicAuth is { Length: > 0 } basic ? basic : null;
        await SendAsync(socket, new JsonObject { ["type"] = "auth", ["token"] = token }, cancellationToken);
        var answer = await ReceiveAsync(socket, cancellationToken);
        if (answer?["type"]?.GetValue<string>() != "auth_success")
        {
            throw new InvalidOperationException($"Prefect refused the event stream's auth ({socket.CloseStatus} {socket.CloseStatusDescription})");
        }

        await SendAsync(socket, Filter(since, time.GetUtcNow().AddDays(365)), cancellationToken);
        Interlocked.Increment(ref _connections);
        logger.LogInformation("Listening to Prefect's flow-run events (backfill from {Since})", since);
        while (await ReceiveAsync(socket, cancellationToken) is { } message)
        {
            if (message["type"]?.GetValue<string>() != "event" || message["event"] is not JsonObject item)
            {
                continue;
            }

            if (FlowRunEvent.Parse(item) is { } flowRunEvent)
            {
                yield return flowRunEvent;
            }
            else
            {
                metrics.StreamEvent("other");
            }
        }

        logger.LogInformation("Prefect closed the event stream ({Status} {Description})", socket.CloseStatus, socket.CloseStatusDescription);
    }

    /// <summary>The stream's <c>ws://</c> or <c>wss://</c> address beside the API.</summary>
    public static Uri EventsUri(PrefectOptions prefect)
    {
        ArgumentNullException.ThrowIfNull(prefect);
        var api = new UriBuilder(prefect.ApiUrl!.TrimEnd('/') + "/events/out");
        api.Scheme = api.Scheme == "https" ? "wss" : "ws";
        return api.Uri;
    }

    private static JsonObject Filter(DateTimeOffset since, DateTimeOffset until) => new()
    {
        ["type"] = "filter",
        ["backfill"] = true,
        ["filter"] = new JsonObject
        {
            ["occurred"] = new JsonObject { ["since"] = PrefectClient.Timestamp(since), ["until"] = PrefectClient.Timestamp(until) },
            ["event"] = new JsonObject { ["prefix"] = new JsonArray("prefect.flow-run.") },
        },
    };

    private static async Task SendAsync(ClientWebSocket socket, JsonObject message, CancellationToken cancellationToken) =>
        await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>The next whole text message, or null when the server closed the socket.</summary>
    private static async Task<JsonObject?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
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
                return JsonNode.Parse(buffer.ToArray()) as JsonObject;
            }
        }
    }
}
