using Bridge.Worker.Bitbucket;
using Bridge.Worker.Http;
using Bridge.Worker.Observability;
using Bridge.Worker.Prefect;

namespace Bridge.Worker.Correlation;

/// <summary>
/// The one gate every commit status goes through: dispatch, stream, callback, poll, repair, superseded runs and
/// refusals. It never posts a status that changes nothing (the <see cref="StatusLedger"/> remembers the last status
/// posted per (commit, key)), never an INPROGRESS over a run's final status, and a run's final status once: this
/// process remembers the runs it reported (<see cref="ReportedRuns"/>), and a run that another replica, or this one
/// before a restart, may have reported — it ended before this tenure of the <see cref="CorrelatorLease"/> — is checked
/// on the commit first. Prefect is not written to for it, except the <c>bridge.reported</c> label of a superseded run,
/// whose STOPPED the dispatching replica posts outside the lease.
/// </summary>
internal sealed class StatusReporter(
    IBitbucketClient bitbucket,
    IPrefectClient prefect,
    PrefectUiLinks links,
    InFlightRuns inFlight,
    StatusLedger ledger,
    ReportedRuns reported,
    PendingStatuses pending,
    StatusHandover handover,
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

    /// <summary>
    /// How far Prefect's clock (a run's end time) may run ahead of this worker's (the start of its tenure) before a run
    /// that ended just before the tenure is taken for one that ended in it.
    /// </summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(2);

    /// <summary>Reports the run as Prefect shows it; true when a status was posted.</summary>
    public Task<bool> ReportAsync(PrefectFlowRun run, ReportPath path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return RunLabels.Read(run) is { } correlated && StatusText.For(run) is { } update
            ? ReportAsync(new StatusPost(correlated, update, path) { AlreadyReported = run.Label(RunLabels.Reported), EndedAt = run.EndTime }, cancellationToken)
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
        var url = links.FlowRun(run.Id).ToString();

        // The dispatch post is part of the event's span; a later one joins the trace the run carries.
        using var span = BridgeActivities.StartIn("bridge.status", post.Path == ReportPath.Dispatch ? null : run.TraceParent);
        span?.SetTag("bridge.flow_run.id", run.Id.ToString());
        span?.SetTag("bridge.status.key", run.StatusKey);
        span?.SetTag("bridge.status.state", update.State);
        span?.SetTag("bridge.status.path", Name(post.Path));
        span?.SetTag("bridge.status.posted", false);
        if (Skips(post, key, update) || (update.IsFinal && await AlreadyOnCommitAsync(post, update, url, cancellationToken)))
        {
            return false;
        }

        // A dispatch INPROGRESS that waits for the budget may outlive its run, and a handed-over one may have: it is
        // checked again before it is sent.
        var checkEnded = post.Path == ReportPath.Handover || (post.Path == ReportPath.Dispatch && budget.Limit > 0 && budget.Used >= budget.Limit);
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

            if (checkEnded && await EndedAsync(run.Id, cancellationToken))
            {
                LogEndedFirst(run);
                return false;
            }

            RequestBudget.PrepayNext();
            if (!await SendAsync(post, url, update, cancellationToken))
            {
                return false;
            }

            ledger.Remember(key, new LedgerEntry(run.Id, update.State, update.Description));
            metrics.Status(update.State, Name(post.Path));
            span?.SetTag("bridge.status.posted", true);
            if (post.SentAt is { } sentAt && post.Path is ReportPath.Dispatch or ReportPath.Handover)
            {
                metrics.InProgressPosted(sentAt);
            }
            else if (update.IsFinal && post.EndedAt is { } endedAt)
            {
                metrics.FinalPosted(endedAt, Name(post.Path));
            }
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
            reported.Add(run.Id);
            inFlight.Forget(run.Id);
            if (post.Path == ReportPath.Superseded)
            {
                await MarkReportedAsync(run.Id, update.State, cancellationToken);
            }
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
                && (ledger.Last(key) is not null || await bitbucket.GetBuildStatusAsync(target, route.StatusKey, cancellationToken) is not null))
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

        if (reported.Contains(run.Id))
        {
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
            paid = await budget.WaitAsync(post.Path is ReportPath.Dispatch or ReportPath.Handover ? DispatchBudgetWait : null, waiting.Token);
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

    /// <summary>
    /// True when the commit already shows this run's final state, posted by another tenure. Asked only of a run that
    /// ended before <see cref="ReportedRuns.WholeSince"/> (less <see cref="ClockSkew"/>) or whose end is unknown: one
    /// Bitbucket read each (paid from the budget before it is sent), after a takeover or a restart for the runs the
    /// poll finds ended meanwhile.
    /// </summary>
    private async Task<bool> AlreadyOnCommitAsync(StatusPost post, StatusUpdate update, string url, CancellationToken cancellationToken)
    {
        if (post.Path == ReportPath.Superseded || (post.EndedAt is { } ended && ended - ClockSkew >= reported.WholeSince))
        {
            return false;
        }

        var run = post.Run;
        await budget.WaitAsync(null, cancellationToken);
        RequestBudget.PrepayNext();
        if (await bitbucket.GetBuildStatusAsync(run.Target, run.StatusKey, cancellationToken) is not { } shown
            || shown.State != update.State || shown.Url != url)
        {
            return false;
        }

        ledger.Remember((run.Target.Commit, run.StatusKey), new LedgerEntry(run.Id, update.State, update.Description));
        reported.Add(run.Id);
        inFlight.Forget(run.Id);
        metrics.Unchanged(Name(post.Path));
        logger.LogInformation(
            "Flow run {FlowRunId}: {State} is already on {Commit} ({StatusKey}), posted before this replica correlated; not posted again ({Path})",
            run.Id, update.State, run.Target.Commit, run.StatusKey, Name(post.Path));
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

    /// <summary>
    /// Posts the status; false for an INPROGRESS not posted here. With a broker, a dispatch INPROGRESS gets one attempt:
    /// when Bitbucket does not take it, it is handed over to the correlating replica (<see cref="StatusHandover"/>),
    /// which posts the run's final status too, in order, so that a late retry never lands over the final status. There
    /// (and in a process of its own, with the in-memory transport) each retry reads the run right before it is sent
    /// (<see cref="RetryCondition"/>) and is given up once the run ended.
    /// </summary>
    private async Task<bool> SendAsync(StatusPost post, string url, StatusUpdate update, CancellationToken cancellationToken)
    {
        var run = post.Run;
        var ended = false;
        var handsOver = post.Path == ReportPath.Dispatch && handover.IsAvailable;
        if (handsOver)
        {
            RetryCondition.Never();
        }
        else if (post.Path is ReportPath.Dispatch or ReportPath.Handover)
        {
            RetryCondition.While(async token => !(ended = await EndedAsync(run.Id, token)));
        }

        try
        {
            await PostAsync(run.Target, run.StatusKey, run.StatusName, run.Ref, url, update, cancellationToken);
            return true;
        }
        catch (UpstreamUnavailableException) when (ended)
        {
            LogEndedFirst(run);
            return false;
        }
        catch (UpstreamUnavailableException ex) when (handsOver)
        {
            await handover.HandOverAsync(post, cancellationToken);
            logger.LogInformation(
                "Flow run {FlowRunId}: Bitbucket did not take its INPROGRESS on {Commit} ({Why}); handed over to the correlating replica",
                run.Id, run.Target.Commit, ex.Message);
            return false;
        }
    }

    /// <summary>True when Prefect shows the run finished; false when it does not, or cannot say.</summary>
    private async Task<bool> EndedAsync(Guid runId, CancellationToken cancellationToken)
    {
        RetryCondition.Clear();
        try
        {
            return await prefect.ReadFlowRunAsync(runId, cancellationToken) is { IsFinal: true };
        }
        catch (Exception ex) when (ex is UpstreamUnavailableException or PermanentFailureException)
        {
            return false;
        }
    }

    private void LogEndedFirst(CorrelatedRun run) =>
        logger.LogInformation(
            "Flow run {FlowRunId}: it ended before its INPROGRESS could be posted on {Commit}; not posted, the final status is the correlating replica's",
            run.Id, run.Target.Commit);

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
            // The status is posted; without the label the correlating replica may post the run's own STOPPED once more.
            logger.LogWarning(ex, "Flow run {FlowRunId}: could not label it {Label}={State}", flowRunId, RunLabels.Reported, state);
        }
    }
}
