using Bridge.Contracts;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Observability;
using Bridge.Worker.Prefect;
using Bridge.Worker.Routing;

namespace Bridge.Worker.Dispatch;

/// <summary>For one event and one route: starts the flow run (idempotently) and marks the commit INPROGRESS.</summary>
internal sealed class RouteDispatcher(
    IPrefectClient prefect,
    IBitbucketClient bitbucket,
    PrefectUiLinks links,
    BridgeMetrics metrics,
    ILogger<RouteDispatcher> logger)
{
    public async Task DispatchAsync(PipelineEvent message, Guid eventId, RouteDefinition route, CancellationToken cancellationToken)
    {
        var request = FlowRunRequests.Create(message, eventId, route);
        var creation = await CreateFlowRunAsync(route, request, cancellationToken);
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

        var status = new BuildStatus
        {
            Key = StatusKeys.For(route.Name, route.Deployment),
            State = BuildState.InProgress,
            Name = route.StatusName,
            Description = Describe(run),
            Url = link.ToString(),
            Refname = message.Ref.Name,
        };
        await bitbucket.PostBuildStatusAsync(
            new StatusTarget(message.Workspace.Uuid, message.Repository.Uuid, message.Commit), status, cancellationToken);
        metrics.Status(status.State);
        logger.LogInformation(
            "Route {Route}: status {StatusKey} {State} posted on {Commit}", route.Name, status.Key, status.State, message.Commit);
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
