using Bridge.Contracts;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Correlation;
using Bridge.Worker.Credentials;
using Bridge.Worker.Observability;
using Bridge.Worker.Prefect;
using Bridge.Worker.Routing;

namespace Bridge.Worker.Dispatch;

/// <summary>
/// For one event and one route: starts the flow run (idempotently), marks the commit INPROGRESS (through the status
/// reporter, so it never overwrites a final status already posted), and, where the route asks for it, cancels the
/// older runs the new one supersedes.
/// </summary>
internal sealed class RouteDispatcher(
    IPrefectClient prefect,
    StatusReporter reporter,
    InFlightRuns inFlight,
    SupersededRuns superseded,
    PrefectUiLinks links,
    RouteCredentialBroker credentials,
    BridgeMetrics metrics,
    ILogger<RouteDispatcher> logger)
{
    public async Task DispatchAsync(PipelineEvent message, Guid eventId, RouteDefinition route, CancellationToken cancellationToken)
    {
        // Credentials first: a refused exchange starts no run (it posts FAILED and throws).
        var jobVariables = await credentials.ObtainAsync(message, route, cancellationToken);
        var request = FlowRunRequests.Create(message, eventId, route) with { JobVariables = jobVariables };
        var creation = await CreateFlowRunAsync(route, request, cancellationToken);
        Identity.ReplayCheck.ThrowIfReplay(message, route, creation);
        var run = creation.Run;
        var link = links.FlowRun(run.Id);
        metrics.FlowRun(route.Name, creation.Created);
        logger.LogInformation(
            "Route {Route}: flow run {FlowRunId} ({FlowRunName}) of {Deployment} {Result}, {StateName}; {FlowRunUrl}",
            route.Name, run.Id, run.Name, route.Deployment, creation.Created ? "created" : "already existed", run.StateName, link);

        if (run.IsFinal)
        {
            logger.LogInformation("Route {Route}: flow run {FlowRunId} already finished; its final status is not overwritten", route.Name, run.Id);
            return;
        }

        var correlated = new CorrelatedRun(
            run.Id,
            run.Name,
            new StatusTarget(message.Workspace.Uuid, message.Repository.Uuid, message.Commit),
            StatusKeys.For(route.Name, route.Deployment),
            route.StatusName,
            message.Ref.Name);
        inFlight.Track(new TrackedRun(correlated, run.DeploymentId, run.WorkPoolName, run.ExpectedStartTime));

        // A redelivered event posts INPROGRESS again (as before), but never over a final status already posted.
        await reporter.ReportAsync(
            correlated, new ReportedStatus(BuildState.InProgress, Describe(run)), alreadyReported: null, "dispatch", cancellationToken, evenIfUnchanged: true);

        if (route.CancelSuperseded && message.Kind == EventKind.Merge && creation.Created)
        {
            await superseded.CancelOlderAsync(message, route, run, cancellationToken);
        }
    }

    private async Task<FlowRunCreation> CreateFlowRunAsync(RouteDefinition route, FlowRunCreate request, CancellationToken cancellationToken)
    {
        var deployment = await prefect.GetDeploymentAsync(route.FlowName, route.DeploymentName, cancellationToken);
        try
        {
            return await prefect.CreateFlowRunAsync(deployment, request, cancellationToken);
        }
        catch (PermanentFailureException ex) when (ex.Reason == "prefect-deployment-not-found")
        {
            // The cached deployment was deleted; it may have been recreated under the same name.
            prefect.Forget(route.FlowName, route.DeploymentName);
            deployment = await prefect.GetDeploymentAsync(route.FlowName, route.DeploymentName, cancellationToken);
            return await prefect.CreateFlowRunAsync(deployment, request, cancellationToken);
        }
    }

    private static string Describe(PrefectFlowRun run)
    {
        var state = string.IsNullOrEmpty(run.StateName) ? "scheduled" : run.StateName.ToLowerInvariant();
        var text = $"Prefect flow run {run.Name} {state}";
        return text.Length <= 255 ? text : text[..254] + "…";
    }
}
