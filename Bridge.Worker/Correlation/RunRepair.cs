using System.Text.Json.Nodes;
using Bridge.Worker.Dispatch;
using Bridge.Worker.Prefect;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Correlation;

/// <summary>
/// Every <c>RepairInterval</c> (and once at start, to rebuild what it watches): lists Bridge's unfinished runs
/// (paged by 200), reports a run that was deleted in Prefect as STOPPED, and tells on the commit when a run has
/// waited past <c>WorkerWaitThreshold</c> on a deployment with no ready worker.
/// </summary>
internal sealed class RunRepair(
    IServiceScopeFactory scopes,
    CorrelatorLease lease,
    InFlightRuns inFlight,
    IOptions<CorrelationOptions> options,
    [FromKeyedServices(CorrelationOptions.ScheduleClock)] TimeProvider time,
    ILogger<RunRepair> logger) : BackgroundService
{
    private const int MaxPages = 50;
    private int _sweeps;

    /// <summary>Sweeps completed so far (for tests and diagnostics).</summary>
    public int Sweeps => Volatile.Read(ref _sweeps);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => lease.RunWhileHeldAsync(SweepWhileHeldAsync, stoppingToken);

    private async Task SweepWhileHeldAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RepairInterval, time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (BackgroundLoop.ShouldContinue(ex, stoppingToken))
            {
                logger.LogWarning("Checking Bridge's unfinished flow runs failed; trying again in {RepairInterval}: {Why}", options.Value.RepairInterval, ex.Message);
            }

            Interlocked.Increment(ref _sweeps);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var prefect = scope.ServiceProvider.GetRequiredService<IPrefectClient>();
        var reporter = scope.ServiceProvider.GetRequiredService<StatusReporter>();
        var known = inFlight.Snapshot();
        var seen = new HashSet<Guid>();
        var deployments = new Dictionary<Guid, PrefectDeployment?>();
        var now = time.GetUtcNow();
        for (var page = 0; page < MaxPages; page++)
        {
            var criteria = Bridge();
            criteria["state"] = new JsonObject { ["type"] = new JsonObject { ["not_any_"] = Terminal() } };
            var runs = await prefect.FilterFlowRunsAsync(new FlowRunQuery(criteria, "ID_DESC", FlowRunQuery.MaxLimit, page * FlowRunQuery.MaxLimit), cancellationToken);
            foreach (var run in runs)
            {
                seen.Add(run.Id);
                if (RunLabels.Read(run) is not { } correlated)
                {
                    continue;
                }

                inFlight.Track(new TrackedRun(correlated, run.DeploymentId, run.WorkPoolName, run.ExpectedStartTime));
                if (run.StateType == PrefectStateTypes.Scheduled && run.ExpectedStartTime is { } expected
                    && now - expected >= options.Value.WorkerWaitThreshold && run.DeploymentId is { } deploymentId)
                {
                    if (!deployments.TryGetValue(deploymentId, out var deployment))
                    {
                        deployments[deploymentId] = deployment = await prefect.ReadDeploymentAsync(deploymentId, cancellationToken);
                    }

                    if (deployment?.Status == "NOT_READY")
                    {
                        await reporter.ReportAsync(new StatusPost(correlated, StatusText.WaitingForWorker(deployment.WorkPoolName ?? run.WorkPoolName), ReportPath.Repair), cancellationToken);
                    }
                }
            }

            if (runs.Count < FlowRunQuery.MaxLimit)
            {
                break;
            }
        }

        var missing = known.Where(t => !seen.Contains(t.Run.Id)).ToList();
        foreach (var chunk in missing.Chunk(FlowRunQuery.MaxLimit))
        {
            await SettleMissingAsync(prefect, reporter, chunk, cancellationToken);
        }
    }

    /// <summary>Runs no longer unfinished: finished ones are reported as they ended, absent ones as deleted.</summary>
    private async Task SettleMissingAsync(IPrefectClient prefect, StatusReporter reporter, TrackedRun[] missing, CancellationToken cancellationToken)
    {
        var criteria = new JsonObject { ["id"] = new JsonObject { ["any_"] = new JsonArray([.. missing.Select(m => JsonValue.Create(m.Run.Id.ToString()))]) } };
        var found = await prefect.FilterFlowRunsAsync(new FlowRunQuery(criteria, "ID_DESC", FlowRunQuery.MaxLimit, 0), cancellationToken);
        var byId = found.ToDictionary(r => r.Id);
        foreach (var tracked in missing)
        {
            if (byId.TryGetValue(tracked.Run.Id, out var run))
            {
                if (run.IsFinal)
                {
                    await reporter.ReportAsync(run, ReportPath.Repair, cancellationToken);
                }

                continue;
            }

            logger.LogInformation("Flow run {FlowRunId} was deleted in Prefect; reporting it stopped on {Commit}", tracked.Run.Id, tracked.Run.Target.Commit);
            await reporter.ReportAsync(new StatusPost(tracked.Run, StatusText.DeletedRun(), ReportPath.Repair), cancellationToken);
        }
    }

    private static JsonObject Bridge() => new()
    {
        ["tags"] = new JsonObject { ["all_"] = new JsonArray(RunLabels.Tag) },
    };

    private static JsonArray Terminal() => new([.. PrefectStateTypes.Terminal.Select(t => JsonValue.Create(t))]);
}
