namespace Bridge.Worker.Prefect;

/// <summary>The Prefect REST calls Bridge makes.</summary>
internal interface IPrefectClient
{
    /// <summary>Looks a deployment up by flow and deployment name; remembered for <c>DeploymentCacheTtl</c>.</summary>
    Task<PrefectDeployment> GetDeploymentAsync(string flowName, string deploymentName, CancellationToken cancellationToken);

    /// <summary>Creates a flow run, or returns the one that already has the request's idempotency key.</summary>
    Task<FlowRunCreation> CreateFlowRunAsync(PrefectDeployment deployment, FlowRunCreate request, CancellationToken cancellationToken);

    /// <summary>Forgets a cached deployment, e.g. after Prefect said it no longer exists.</summary>
    void Forget(string flowName, string deploymentName);
}
