using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Worker.Observability;
using Bridge.Worker.Prefect;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Correlation;

/// <summary>
/// The push path: Prefect's event stream (<c>/events/out</c>, subprotocol <c>prefect</c>, auth then filter messages).
/// Reconnects with exponential back-off, backfills from the last event seen (less <c>BackfillMargin</c>), de-duplicates
/// by event id, and checks the run's tags itself (the open-source server ignores <c>related</c> on the live stream).
/// A state worth reporting makes it read the run (for its labels) and report it.
/// </summary>
internal sealed class FlowRunEventStream(
    IServiceScopeFactory scopes,
    IOptions<CorrelationOptions> options,
    IOptions<PrefectOptions> prefectOptions,
    TimeProvider time,
    BridgeMetrics metrics,
    ILogger<FlowRunEventStream> logger) : BackgroundService
{
    private readonly RecentIds _seen = new(10_000);
    private DateTimeOffset? _lastOccurred;
    private int _connections;

    /// <summary>Successful handshakes so far (for tests and diagnostics).</summary>
    public int Connections => Volatile.Read(ref _connections);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.EventStream)
        {
            return;
        }

        var startedAt = time.GetUtcNow();
        var delay = options.Value.ReconnectMinDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(_lastOccurred ?? startedAt, stoppingToken);
                delay = options.Value.ReconnectMinDelay;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (BackgroundLoop.ShouldContinue(ex, stoppingToken))
            {
                logger.LogWarning("Prefect's event stream is unavailable ({Why}); reconnecting in {Delay}; the poll covers the gap", ex.Message, delay);
            }

            await Task.Delay(Jitter(delay), time, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.ReconnectMaxDelay.Ticks));
        }
    }

    private async Task ListenAsync(DateTimeOffset from, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("prefect");
        await socket.ConnectAsync(EventsUri(prefectOptions.Value), cancellationToken);
        var token = prefectOptions.Value.ApiKey is { Length: > 0 } key ? key : prefectOptions.Value.BasicAuth is { Length: > 0 } basic ? basic : null;
        await SendAsync(socket, new JsonObject { ["type"] = "auth", ["token"] = token }, cancellationToken);
        var answer = await ReceiveAsync(socket, cancellationToken);
        if (answer?["type"]?.GetValue<string>() != "auth_success")
        {
            throw new InvalidOperationException($"Prefect refused the event stream's auth ({socket.CloseStatus} {socket.CloseStatusDescription})");
        }

        var now = time.GetUtcNow();
        await SendAsync(socket, Filter(from - options.Value.BackfillMargin, now.AddDays(365)), cancellationToken);
        Interlocked.Increment(ref _connections);
        logger.LogInformation("Listening to Prefect's flow-run events (backfill from {Since})", from - options.Value.BackfillMargin);
        while (await ReceiveAsync(socket, cancellationToken) is { } message)
        {
            if (message["type"]?.GetValue<string>() == "event" && message["event"] is JsonObject item)
            {
                await HandleAsync(item, cancellationToken);
            }
        }

        logger.LogInformation("Prefect closed the event stream ({Status} {Description})", socket.CloseStatus, socket.CloseStatusDescription);
    }

    private async Task HandleAsync(JsonObject item, CancellationToken cancellationToken)
    {
        var flowRunEvent = FlowRunEvent.Parse(item);
        if (flowRunEvent is null || !_seen.Add(flowRunEvent.Id))
        {
            metrics.StreamEvent(flowRunEvent is null ? "other" : "duplicate");
            return;
        }

        if (flowRunEvent.Occurred is { } occurred && (_lastOccurred is null || occurred > _lastOccurred))
        {
            _lastOccurred = occurred;
        }

        if (!flowRunEvent.IsBridgeRun || !flowRunEvent.IsWorthReading)
        {
            metrics.StreamEvent("ignored");
            return;
        }

        metrics.StreamEvent("reported");
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var prefect = scope.ServiceProvider.GetRequiredService<IPrefectClient>();
            if (await prefect.ReadFlowRunAsync(flowRunEvent.FlowRunId, cancellationToken) is { } run)
            {
                await scope.ServiceProvider.GetRequiredService<StatusReporter>().ReportAsync(run, ReportPath.Stream, cancellationToken);
            }
        }
        catch (Exception ex) when (BackgroundLoop.ShouldContinue(ex, cancellationToken))
        {
            logger.LogWarning("Flow run {FlowRunId}: could not report {Event} yet ({Why}); the poll will", flowRunEvent.FlowRunId, flowRunEvent.Name, ex.Message);
        }
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

    public static Uri EventsUri(PrefectOptions prefect)
    {
        ArgumentNullException.ThrowIfNull(prefect);
        var api = new UriBuilder(prefect.ApiUrl!.TrimEnd('/') + "/events/out");
        api.Scheme = api.Scheme == "https" ? "wss" : "ws";
        return api.Uri;
    }

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

    private static TimeSpan Jitter(TimeSpan delay) =>
        TimeSpan.FromTicks((long)(delay.Ticks * (0.8 + (0.4 * Random.Shared.NextDouble()))));
}
