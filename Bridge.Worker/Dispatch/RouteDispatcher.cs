using Bridge.Contracts;
using Bridge.Worker.Correlation;
using Bridge.Worker.Credentials;
using Bridge.Worker.Observability;
using Bridge.Worker.Prefect;
using Bridge.Worker.Routing;
using Bridge.Worker.Triggers;

namespace Bridge.Worker.Dispatch;

/// <summary>
/// For one admitted trigger and each of its routes: the route's credentials (steps only), the flow run (idempotently),
/// INPROGRESS on the commit through the status gate, and, where the route asks for it, cancelling the older runs the
/// new one supersedes. Returns why a route could not start (credentials refused, a replayed token), or null.
/// </summary>
internal sealed class RouteDispatcher(
    IPrefectClient prefect,
    StatusReporter reporter,
    InFlightRuns inFlight,
    SupersededRuns superseded,
    CredentialExchange credentials,
    PrefectUiLinks links,
    BridgeMetrics metrics,
    ILogger<RouteDispatcher> logger)
{
    public async Task<Rejection?> DispatchAsync(Admitted admitted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admitted);
        foreach (var route in admitted.Routes)
        {
            if (await DispatchAsync(admitted.Trigger, route, admitted.SentAt, cancellationToken) is { } refused)
            {
                return refused;
            }
        }

        return null;
    }

    private async Task<Rejection?> DispatchAsync(Trigger trigger, RouteDefinition route, DateTimeOffset? sentAt, CancellationToken cancellationToken)
    {
        var step = trigger.Origin as PipelineStepOrigin;

        // Credentials first: a refused exchange starts no run.
        var exchanged = step is null ? ExchangedCredentials.None : await ObtainAsync(trigger, step, route, cancellationToken);
        if (exchanged.Refused is { } refused)
        {
            await ReportRefusedAsync(trigger, step!, route, refused, cancellationToken);
            return refused;
        }

        var request = FlowRunRequests.Create(trigger, route) with { JobVariables = exchanged.JobVariables };
        var creation = await CreateAsync(route, request, cancellationToken);
        if (IdempotencyKeys.Replay(trigger, route, creation) is { } replay)
        {
            return replay;
        }

        var run = creation.Run;
        metrics.FlowRun(route.Name, creation.Created);
        logger.LogInformation(
            "Route {Route}: flow run {FlowRunId} ({FlowRunName}) of {Deployment} {Result}, {StateName}; {FlowRunUrl}",
            route.Name, run.Id, run.Name, route.Deployment, creation.Created ? "created" : "already existed", run.StateName, links.FlowRun(run.Id));
        if (run.IsFinal)
        {
            logger.LogInformation("Route {Route}: flow run {FlowRunId} already finished; its final status is not overwritten", route.Name, run.Id);
            return null;
        }

        var correlated = new CorrelatedRun(run.Id, run.Name, trigger.StatusTarget, route.StatusKey, route.StatusName, trigger.Ref.Name);
        inFlight.Track(new TrackedRun(correlated, run.DeploymentId, run.WorkPoolName, run.ExpectedStartTime));

        // A redelivery posts INPROGRESS only if this process has not posted it unchanged already; never over a final status.
        await reporter.ReportAsync(new StatusPost(correlated, StatusText.Started(run), ReportPath.Dispatch) { SentAt = sentAt }, cancellationToken);
        if (route.CancelSuperseded && step is not null && trigger.Kind == EventKind.Merge && creation.Created)
        {
            await superseded.CancelOlderAsync(trigger, step, route, run, cancellationToken);
        }

        return null;
    }

    private async Task<ExchangedCredentials> ObtainAsync(Trigger trigger, PipelineStepOrigin step, RouteDefinition route, CancellationToken cancellationToken)
    {
        using var span = BridgeActivities.Start("bridge.credentials");
        span?.SetTag("bridge.route", route.Name);
        var exchanged = await credentials.ObtainAsync(trigger, step, route, cancellationToken);
        if (exchanged.Refused is { } refused)
        {
            span.Failed(refused.Reason);
        }

        return exchanged;
    }

    private async Task<CreatedFlowRun> CreateAsync(RouteDefinition route, CreateFlowRunRequest request, CancellationToken cancellationToken)
    {
        using var span = BridgeActivities.Start("bridge.flow_run.create");
        span?.SetTag("bridge.route", route.Name);
        span?.SetTag("bridge.deployment", route.Deployment);
        var creation = await prefect.CreateFlowRunAsync(route.FlowName, route.DeploymentName, request, cancellationToken);
        span?.SetTag("bridge.flow_run.id", creation.Run.Id.ToString());
        span?.SetTag("bridge.flow_run.created", creation.Created);
        return creation;
    }

    private async Task ReportRefusedAsync(Trigger trigger, PipelineStepOrigin step, RouteDefinition route, Rejection refused, CancellationToken cancellationToken)
    {
        if (!route.VerifyCommit)
        {
            logger.LogWarning("Route {Route}: {Reason}; the commit is not verified (verifyCommit: false), so no status is posted", route.Name, refused.Why);
            return;
        }

        await reporter.ReportRefusalAsync(new StatusRefusal(trigger, step, route, RefusalKind.CredentialsRefused, refused.Why), cancellationToken);
    }
}
