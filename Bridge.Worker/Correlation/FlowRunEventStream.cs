using Bridge.Worker.Observability;
using Bridge.Worker.Prefect;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Bridge.Worker.Correlation;

/// <summary>
/// The push path: follows <see cref="PrefectEventStream"/>. Reconnects with jittered exponential back-off (a Polly
/// pipeline; the back-off starts again after Prefect closed a stream), backfills from the last event seen (less
/// <c>BackfillMargin</c>), de-duplicates by event id, and checks the run's tags itself (the open-source server ignores
/// <c>related</c> on the live stream). A state worth reporting is reported from the event itself: its tags carry the
/// run's commit and status key (<see cref="RunLabels.StatusTag"/>), its Running event the start for the duration. The
/// run is read instead (one call) when that is not enough: a run without the status tag (created by an older Bridge),
/// a cancelled one (a superseded run is labelled reported by the replica that cancelled it), a run whose start this
/// listener did not see. Runs are reported on <see cref="OrderedLanes{T}"/>: side by side, each run's events in order.
/// </summary>
/// <param name="randomizer">The reconnects' jitter source (a number in [0, 1)); absent, Polly's own. Tests fix it.</param>
internal sealed class FlowRunEventStream(
    IServiceScopeFactory scopes,
    CorrelatorLease lease,
    PrefectEventStream stream,
    IOptions<CorrelationOptions> options,
    TimeProvider time,
    BridgeMetrics metrics,
    ILogger<FlowRunEventStream> logger,
    Func<double>? randomizer = null) : BackgroundService
{
    /// <summary>Runs reported side by side (each run's events in order, on its lane), as the poll does.</summary>
    private const int Lanes = 8;

    private readonly RecentIds _seen = new(10_000);
    private readonly RunStarts _starts = new(100_000);
    private readonly Func<double> _random = randomizer ?? new RetryStrategyOptions().Randomizer;
    private DateTimeOffset? _lastOccurred;

    /// <summary>Successful handshakes so far (for tests and diagnostics).</summary>
    public int Connections => stream.Connections;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.EventStream ? lease.RunWhileHeldAsync(FollowWhileHeldAsync, stoppingToken) : Task.CompletedTask;

    private async Task FollowWhileHeldAsync(CancellationToken stoppingToken)
    {
        // From the start of this tenure (less the backfill margin): the poll covers what ended before it.
        var startedAt = time.GetUtcNow();
        var reconnect = Reconnect(options.Value);
        await using var lanes = new OrderedLanes<FlowRunEvent>(Lanes, ReportAsync, stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Returns when Prefect closed the stream; failures are retried inside with a growing delay.
                await reconnect.ExecuteAsync(token => ListenAsync(startedAt, lanes, token), stoppingToken);
                await Task.Delay(Jitter(options.Value.ReconnectMinDelay), time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private ResiliencePipeline Reconnect(CorrelationOptions settings) => new ResiliencePipelineBuilder { Name = "prefect-event-stream", TimeProvider = time }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is { } ex && BackgroundLoop.ShouldContinue(ex, args.Context.CancellationToken)),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = settings.ReconnectMinDelay,
            MaxDelay = settings.ReconnectMaxDelay,
            Randomizer = _random,
            OnRetry = args =>
            {
                logger.LogWarning(
                    "Prefect's event stream is unavailable ({Why}); reconnecting in {Delay}; the poll covers the gap",
                    args.Outcome.Exception?.Message, args.RetryDelay);
                return default;
            },
        })
        .Build();

    private async ValueTask ListenAsync(DateTimeOffset startedAt, OrderedLanes<FlowRunEvent> lanes, CancellationToken cancellationToken)
    {
        await foreach (var flowRunEvent in stream.ReadAsync((_lastOccurred ?? startedAt) - options.Value.BackfillMargin, cancellationToken))
        {
            if (Accept(flowRunEvent))
            {
                await lanes.WriteAsync(flowRunEvent.FlowRunId, flowRunEvent, cancellationToken);
            }
        }
    }

    /// <summary>True for an event worth reporting; notes what every event tells (its id, time, a run's start).</summary>
    private bool Accept(FlowRunEvent flowRunEvent)
    {
        if (!_seen.Add(flowRunEvent.Id))
        {
            metrics.StreamEvent("duplicate");
            return false;
        }

        if (flowRunEvent.Occurred is { } occurred && (_lastOccurred is null || occurred > _lastOccurred))
        {
            _lastOccurred = occurred;
        }

        if (flowRunEvent is { IsBridgeRun: true, StateType: PrefectStateTypes.Running, StateTimestamp: { } started })
        {
            _starts.Started(flowRunEvent.FlowRunId, started);
        }

        if (!flowRunEvent.IsBridgeRun || !flowRunEvent.IsWorthReading)
        {
            metrics.StreamEvent("ignored");
            return false;
        }

        metrics.StreamEvent("reported");
        return true;
    }

    /// <summary>On its run's lane: the events of one run in order, those of different runs side by side.</summary>
    private async Task ReportAsync(FlowRunEvent flowRunEvent, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var told = flowRunEvent.AsRun(_starts.Of(flowRunEvent.FlowRunId));
            var run = TellsEnough(told) ? told : await scope.ServiceProvider.GetRequiredService<IPrefectClient>().ReadFlowRunAsync(flowRunEvent.FlowRunId, cancellationToken);
            if (run is not null)
            {
                await scope.ServiceProvider.GetRequiredService<StatusReporter>().ReportAsync(run, ReportPath.Stream, cancellationToken);
            }
        }
        catch (Exception ex) when (BackgroundLoop.ShouldContinue(ex, cancellationToken))
        {
            logger.LogWarning("Flow run {FlowRunId}: could not report {Event} yet ({Why}); the poll will", flowRunEvent.FlowRunId, flowRunEvent.Name, ex.Message);
        }
    }

    private static bool TellsEnough(PrefectFlowRun told) =>
        RunLabels.Read(told) is not null
        && told.StateType != PrefectStateTypes.Cancelled
        && (!told.IsFinal || told.StartTime is not null);

    private TimeSpan Jitter(TimeSpan delay) => TimeSpan.FromTicks((long)(delay.Ticks * (0.8 + (0.4 * _random()))));
}
