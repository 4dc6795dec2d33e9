using Bridge.Worker.Bitbucket;
using Bridge.Worker.Http;
using Bridge.Worker.Observability;
using Bridge.Worker.Prefect;

namespace Bridge.Worker.Correlation;

/// <summary>
/// The one gate every commit status goes through: dispatch, stream, callback, poll, repair, superseded runs and
/// refusals. It never posts a status that changes nothing (the <see cref="StatusLedger"/> remembers the last status
/// posted per (commit, key)), never an INPROGRESS over a run's final status, and once a run's final status is posted
/// it labels the run <c>bridge.reported=&lt;state&gt;</c> in Prefect, so that no path and no restarted worker posts it again.
/// </summary>
internal sealed class StatusReporter(
    IBitbucketClient bitbucket,
    IPrefectClient prefect,
    PrefectUiLinks links,
    InFlightRuns inFlight,
    StatusLedger ledger,
    PendingStatuses pending,
    [FromKeyedServices(BitbucketExtensions.Upstream)] RequestBudget budget,
    BridgeMetrics metrics,
    ILogger<StatusReporter> logger)
{
    /// <summary>
    /// Longest wait for Bitbucket's budget on the dispatch path, which holds a queue message meanwhile (RabbitMQ closes a
    /// channel whose delivery stays unacknowledged for its consumer timeout, 30 minutes by default). Past it the
    /// INPROGRESS is not posted; the run's final status is, by the correlating paths, which wait as long as it takes.
    /// </summary>
    public static readonly TimeSpan DispatchBudgetWait = TimeSpan.FromMinutes(1);

    /// <summary>Reports the run as Prefect shows it; true when a status was posted.</summary>
    public Task<bool> ReportAsync(PrefectFlowRun run, ReportPath path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return RunLabels.Read(run) is { } correlated && StatusText.For(run) is { } update
            ? ReportAsync(new StatusPost(correlated, update, path) { AlreadyReported = run.Label(RunLabels.Reported) }, cancellationToken)
            : Task.FromResult(false);
    }

    /// <summary>
    /// Posts <paramref name="post"/> unless it changes nothing, the run's final status was already posted, or a newer
    /// state for the same commit and key came while it waited for Bitbucket's budget (it coalesces); true when posted.
    /// </summary>
    public async Task<bool> ReportAsync(StatusPost post, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        var (run, update) = (post.Run, post.Update with { Description = StatusText.Fit(post.Update.Description) });
        var key = (run.Target.Commit, run.StatusKey);
        if (Skips(post, key, update))
        {
            return false;
        }

        using var claim = pending.Enter(key, update.IsFinal);
        if (!await PayAsync(post, claim, cancellationToken))
        {
            return false;
        }

        var stripe = ledger.LockFor(key);
        await stripe.WaitAsync(cancellationToken);
        try
        {
            if (Skips(post, key, update) || Coalesced(post, claim))
            {
                return false;
            }

            if (post.Before is { } before && !await before(cancellationToken))
            {
                return false;
            }

            RequestBudget.PrepayNext();
            await PostAsync(run.Target, run.StatusKey, run.StatusName, run.Ref, links.FlowRun(run.Id).ToString(), update, cancellationToken);
            ledger.Remember(key, new LedgerEntry(run.Id, update.State, update.Description));
            metrics.Status(update.State, Name(post.Path));
            logger.LogInformation(
                "Flow run {FlowRunId}: status {StatusKey} {State} \"{Description}\" posted on {Commit} ({Path})",
                run.Id, run.StatusKey, update.State, update.Description, run.Target.Commit, Name(post.Path));
        }
        finally
        {
            stripe.Release();
        }

        if (update.IsFinal)
        {
            inFlight.Forget(run.Id);
            await MarkReportedAsync(run.Id, update.State, cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// FAILED for a route that started no run. A failure to post is logged, not thrown: the event is dead-lettered
    /// with its reason whatever the commit shows.
    /// </summary>
    public async Task ReportRefusalAsync(StatusRefusal refusal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var (trigger, route) = (refusal.Trigger, refusal.Route);
        var target = trigger.StatusTarget;
        var key = (target.Commit, route.StatusKey);
        var update = new StatusUpdate(BuildState.Failed, StatusText.Fit(refusal.Text));
        var url = $"https://bitbucket.org/{trigger.Repository.FullName}/addon/pipelines/home#!/results/{refusal.Step.BuildNumber}";
        var stripe = ledger.LockFor(key);
        await stripe.WaitAsync(cancellationToken);
        try
        {
            if (refusal.Kind == RefusalKind.ExpiredInQueue
                && (ledger.Last(key) is not null || await bitbucket.GetBuildStatusStateAsync(target, route.StatusKey, cancellationToken) is not null))
            {
                logger.LogInformation("Route {Route}: the commit already has status {StatusKey}; the expired token changes nothing", route.Name, route.StatusKey);
                return;
            }

            await PostAsync(target, route.StatusKey, route.StatusName, trigger.Ref.Name, url, update, cancellationToken);
            ledger.Remember(key, new LedgerEntry(Guid.Empty, update.State, update.Description));
            metrics.Status(update.State, Name(ReportPath.Refusal));
            logger.LogWarning("Route {Route}: no flow run; FAILED posted on {Commit}: {Description}", route.Name, target.Commit, update.Description);
        }
        catch (Exception ex) when (ex is PermanentFailureException or UpstreamUnavailableException)
        {
            logger.LogWarning("Route {Route}: could not post FAILED ({Kind}): {Why}", route.Name, refusal.Kind, ex.Message);
        }
        finally
        {
            stripe.Release();
        }
    }

    /// <summary>True (and counted) when the post changes nothing: the run's final status is posted, or this very state is.</summary>
    private bool Skips(StatusPost post, (string Commit, string Key) key, StatusUpdate update)
    {
        var run = post.Run;
        if (!string.IsNullOrEmpty(post.AlreadyReported))
        {
            ledger.Remember(key, new LedgerEntry(run.Id, post.AlreadyReported, string.Empty));
            inFlight.Forget(run.Id);
            metrics.Unchanged(Name(post.Path));
            return true;
        }

        if (ledger.Last(key) is { } last && last.RunId == run.Id
            && (last.State != BuildState.InProgress || (last.State == update.State && last.Description == update.Description)))
        {
            metrics.Unchanged(Name(post.Path));
            logger.LogDebug(
                "Flow run {FlowRunId}: status {StatusKey} {State} changes nothing on {Commit}; not posted ({Path})",
                run.Id, run.StatusKey, update.State, run.Target.Commit, Name(post.Path));
            return true;
        }

        return false;
    }

    /// <summary>
    /// Takes the post's slot of Bitbucket's budget before any lock (a post may wait long); the caller marks it prepaid
    /// (<see cref="RequestBudget.PrepayNext"/>, in its own async flow) so the client does not take a second one; false when the post coalesced into a newer one meanwhile, or the dispatch path would wait too long.
    /// </summary>
    private async Task<bool> PayAsync(StatusPost post, PendingStatuses.Claim claim, CancellationToken cancellationToken)
    {
        if (Coalesced(post, claim))
        {
            return false;
        }

        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, claim.Superseded);
        bool paid;
        try
        {
            paid = await budget.WaitAsync(post.Path == ReportPath.Dispatch ? DispatchBudgetWait : null, waiting.Token);
        }
        catch (OperationCanceledException) when (claim.IsSuperseded && !cancellationToken.IsCancellationRequested)
        {
            Coalesced(post, claim);
            return false;
        }

        if (!paid)
        {
            logger.LogWarning(
                "Flow run {FlowRunId}: Bitbucket's budget ({Budget} requests per window) would hold {State} longer than {Wait}; not posted, the final status will be",
                post.Run.Id, budget.Limit, post.Update.State, DispatchBudgetWait);
            return false;
        }

        return true;
    }

    private bool Coalesced(StatusPost post, PendingStatuses.Claim claim)
    {
        if (!claim.IsSuperseded)
        {
            return false;
        }

        metrics.Coalesced(Name(post.Path));
        logger.LogDebug(
            "Flow run {FlowRunId}: {State} on {Commit} gave way to a newer state of {StatusKey} ({Path})",
            post.Run.Id, post.Update.State, post.Run.Target.Commit, post.Run.StatusKey, Name(post.Path));
        return true;
    }

    private Task PostAsync(
        StatusTarget target, string key, string name, string? refName, string url, StatusUpdate update, CancellationToken cancellationToken) =>
        bitbucket.PostBuildStatusAsync(
            target,
            new BitbucketBuildStatus { Key = key, State = update.State, Name = name, Description = update.Description, Url = url, Refname = refName },
            cancellationToken);

    private static string Name(ReportPath path) => path.ToString().ToLowerInvariant();

    private async Task MarkReportedAsync(Guid flowRunId, string state, CancellationToken cancellationToken)
    {
        try
        {
            await prefect.UpdateFlowRunLabelsAsync(flowRunId, new Dictionary<string, string> { [RunLabels.Reported] = state }, cancellationToken);
        }
        catch (Exception ex) when (BackgroundLoop.ShouldContinue(ex, cancellationToken))
        {
            // The status is posted; without the label a restarted worker may post the same final status once more.
            logger.LogWarning(ex, "Flow run {FlowRunId}: could not label it {Label}={State}", flowRunId, RunLabels.Reported, state);
        }
    }
}
