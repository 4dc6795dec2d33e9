using System.Text.Json.Nodes;
using Bridge.Worker.Dispatch;
using Bridge.Worker.Observability;
using Bridge.Worker.Prefect;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Correlation;

/// <summary>
/// The safety net under the event stream: once per <c>PollInterval</c>, one <c>flow_runs/filter</c> (paged by 200)
/// for every Bridge run that reached a terminal state since the watermark, whatever the number of runs in flight.
/// The watermark moves only past runs that were reported.
/// </summary>
internal sealed class FinishedRunPoller(
    IServiceScopeFactory scopes,
    CorrelatorLease lease,
    Watermark watermark,
    IOptions<CorrelationOptions> options,
    [FromKeyedServices(CorrelationOptions.ScheduleClock)] TimeProvider time,
    BridgeMetrics metrics,
    ILogger<FinishedRunPoller> logger) : BackgroundService
{
    private const int MaxPages = 50;
    private readonly Lock _gate = new();
    private DateTimeOffset? _watermark;
    private int _polls;

    /// <summary>Polls completed so far (for tests and diagnostics).</summary>
    public int Polls => Volatile.Read(ref _polls);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => lease.RunWhileHeldAsync(PollWhileHeldAsync, stoppingToken);

    private async Task PollWhileHeldAsync(CancellationToken stoppingToken)
    {
        // Another replica may have moved the watermark while this one did not hold the lease.
        _watermark = null;
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        do
        {
            try
            {
                await PollOnceAsync(stoppingToken);
                metrics.Poll("ok");
            }
            catch (Exception ex) when (BackgroundLoop.ShouldContinue(ex, stoppingToken))
            {
                metrics.Poll("failed");
                logger.LogWarning("Polling Prefect for finished flow runs failed; trying again in {PollInterval}: {Why}", options.Value.PollInterval, ex.Message);
            }

            Interlocked.Increment(ref _polls);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var prefect = scope.ServiceProvider.GetRequiredService<IPrefectClient>();
        var reporter = scope.ServiceProvider.GetRequiredService<StatusReporter>();
        var started = time.GetUtcNow();
        _watermark ??= await watermark.ReadAsync(prefect, cancellationToken) ?? started - options.Value.InitialLookback;
        var since = _watermark.Value - options.Value.PollOverlap;
        DateTimeOffset? oldestUnreported = null;
        var found = 0;
        for (var page = 0; page < MaxPages; page++)
        {
            var runs = await prefect.FilterFlowRunsAsync(Query(since, page * FlowRunQuery.MaxLimit), cancellationToken);
            found += runs.Count;
            await Parallel.ForEachAsync(
                runs,
                new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                async (run, token) =>
                {
                    try
                    {
                        await reporter.ReportAsync(run, ReportPath.Poll, token);
                    }
                    catch (Exception ex) when (BackgroundLoop.ShouldContinue(ex, token))
                    {
                        logger.LogWarning("Flow run {FlowRunId}: could not report its final state yet: {Why}", run.Id, ex.Message);
                        var end = run.EndTime ?? since;
                        lock (_gate)
                        {
                            oldestUnreported = oldestUnreported is { } o && o < end ? o : end;
                        }
                    }
                });
            if (runs.Count < FlowRunQuery.MaxLimit)
            {
                break;
            }
        }

        var next = oldestUnreported is { } stuck ? Min(stuck, started) : started;
        if (next > _watermark.Value)
        {
            _watermark = next;
            await watermark.WriteAsync(prefect, next, cancellationToken);
        }

        logger.LogDebug("Polled Prefect: {Count} Bridge runs finished since {Since}", found, since);
    }

    private static FlowRunQuery Query(DateTimeOffset since, int offset) => new(
        new JsonObject
        {
            ["tags"] = new JsonObject { ["all_"] = new JsonArray(RunLabels.Tag) },
            ["state"] = new JsonObject
            {
                ["type"] = new JsonObject { ["any_"] = new JsonArray([.. PrefectStateTypes.Terminal.Select(t => JsonValue.Create(t))]) },
            },
            ["end_time"] = new JsonObject { ["after_"] = PrefectClient.Timestamp(since) },
        },
        "END_TIME_DESC",
        FlowRunQuery.MaxLimit,
        offset);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
