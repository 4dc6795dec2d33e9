using Bridge.Worker.Bitbucket;
using Bridge.Worker.Observability;
using Bridge.Worker.Prefect;

namespace Bridge.Worker.Correlation;

/// <summary>
/// Posts a run's status on its commit, never one that changes nothing: the <see cref="StatusLedger"/> remembers the
/// last status posted per (commit, key), and once a run's final status is posted it labels the run <c>bridge.reported=&lt;state&gt;</c> in
/// Prefect, so that no path (stream, callback, poll) and no restarted worker posts it again.
/// </summary>
internal sealed class StatusReporter(
    IBitbucketClient bitbucket,
    IPrefectClient prefect,
    PrefectUiLinks links,
    InFlightRuns inFlight,
    StatusLedger ledger,
    BridgeMetrics metrics,
    ILogger<StatusReporter> logger)
{
    public const string ReportedLabel = "bridge.reported";

    /// <summary>Reports the run as Prefect shows it; true when a status was posted.</summary>
    public async Task<bool> ReportAsync(PrefectFlowRun run, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (CorrelatedRun.From(run) is not { } correlated)
        {
            return false;
        }

        if (StatusText.For(run) is not { } status)
        {
            return false;
        }

        return await ReportAsync(correlated, status, run.Label(ReportedLabel), path, cancellationToken);
    }

    /// <summary>
    /// Posts <paramref name="status"/> for <paramref name="run"/> unless it changes nothing or the run's final status
    /// was already posted (<paramref name="alreadyReported"/> is the run's <c>bridge.reported</c> label).
    /// <paramref name="evenIfUnchanged"/> posts an unchanged INPROGRESS again (a redelivered event), never over a final status.
    /// </summary>
    public Task<bool> ReportAsync(
        CorrelatedRun run, ReportedStatus status, string? alreadyReported, string path, CancellationToken cancellationToken, bool evenIfUnchanged = false) =>
        ReportAsync(run, status, alreadyReported, path, before: null, cancellationToken, evenIfUnchanged);

    /// <summary>
    /// Runs <paramref name="before"/> (e.g. cancelling the run) while holding the run's status lock, then posts
    /// <paramref name="status"/> if it returned true; so no other path can post the state it causes first.
    /// </summary>
    public async Task<bool> ReportAsync(
        CorrelatedRun run,
        ReportedStatus status,
        string? alreadyReported,
        string path,
        Func<CancellationToken, Task<bool>>? before,
        CancellationToken cancellationToken,
        bool evenIfUnchanged = false)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(status);
        var key = (run.Target.Commit, run.StatusKey);
        var stripe = ledger.LockFor(key);
        await stripe.WaitAsync(cancellationToken);
        try
        {
            if (!string.IsNullOrEmpty(alreadyReported))
            {
                ledger.Remember(key, new PostedStatus(run.Id, alreadyReported, string.Empty));
                inFlight.Forget(run.Id);
                metrics.Unchanged(path);
                return false;
            }

            if (ledger.Last(key) is { } last && last.RunId == run.Id
                && (last.State != BuildState.InProgress
                    || (!evenIfUnchanged && last.State == status.State && last.Description == status.Description)))
            {
                metrics.Unchanged(path);
                return false;
            }

            if (before is not null && !await before(cancellationToken))
            {
                return false;
            }

            await bitbucket.PostBuildStatusAsync(run.Target, ToBuildStatus(run, status), cancellationToken);
            ledger.Remember(key, new PostedStatus(run.Id, status.State, status.Description));
            metrics.Status(status.State, path);
            logger.LogInformation(
                "Flow run {FlowRunId}: status {StatusKey} {State} \"{Description}\" posted on {Commit} ({Path})",
                run.Id, run.StatusKey, status.State, status.Description, run.Target.Commit, path);
        }
        finally
        {
            stripe.Release();
        }

        if (status.IsFinal)
        {
            inFlight.Forget(run.Id);
            await MarkReportedAsync(run.Id, status.State, cancellationToken);
        }

        return true;
    }

    private BuildStatus ToBuildStatus(CorrelatedRun run, ReportedStatus status) => new()
    {
        Key = run.StatusKey,
        State = status.State,
        Name = run.StatusName,
        Description = status.Description,
        Url = links.FlowRun(run.Id).ToString(),
        Refname = run.Ref,
    };

    private async Task MarkReportedAsync(Guid flowRunId, string state, CancellationToken cancellationToken)
    {
        try
        {
            await prefect.UpdateFlowRunLabelsAsync(flowRunId, new Dictionary<string, string> { [ReportedLabel] = state }, cancellationToken);
        }
        catch (Exception ex) when (Failures.Survivable(ex, cancellationToken))
        {
            // The status is posted; without the label a restarted worker may post the same final status once more.
            logger.LogWarning(ex, "Flow run {FlowRunId}: could not label it {Label}={State}", flowRunId, ReportedLabel, state);
        }
    }
}
