namespace Bridge.Worker.Prefect;

/// <summary>The Prefect REST calls Bridge makes.</summary>
internal interface IPrefectClient
{
    /// <summary>
    /// Creates a flow run of the deployment named <c>{flow}/{deployment}</c> (its id looked up by name and remembered for
    /// <c>DeploymentCacheTtl</c>; looked up again once when the remembered one is gone), or returns the run that already
    /// has the request's idempotency key. Throws <see cref="PermanentFailureException"/> when no such deployment exists.
    /// </summary>
    Task<CreatedFlowRun> CreateFlowRunAsync(string flowName, string deploymentName, CreateFlowRunRequest request, CancellationToken cancellationToken);

    /// <summary><c>GET /deployments/{id}</c> (not cached: its <c>status</c> says whether a worker polls); null when it does not exist.</summary>
    Task<PrefectDeployment?> ReadDeploymentAsync(Guid deploymentId, CancellationToken cancellationToken);

    /// <summary><c>GET /flow_runs/{id}</c>; null when Prefect has no such run (deleted).</summary>
    Task<PrefectFlowRun?> ReadFlowRunAsync(Guid flowRunId, CancellationToken cancellationToken);

    /// <summary>One page of <c>POST /flow_runs/filter</c> (<paramref name="limit"/> at most 200).</summary>
    Task<IReadOnlyList<PrefectFlowRun>> FilterFlowRunsAsync(FlowRunQuery query, CancellationToken cancellationToken);

    /// <summary><c>POST /flow_runs/{id}/set_state</c>; the orchestration result (Prefect may turn CANCELLING into CANCELLED).</summary>
    Task<PrefectOrchestrationResult?> SetFlowRunStateAsync(Guid flowRunId, string type, string name, string? message, CancellationToken cancellationToken);

    /// <summary><c>PATCH /flow_runs/{id}/labels</c>: merges these labels into the run's.</summary>
    Task UpdateFlowRunLabelsAsync(Guid flowRunId, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);

    /// <summary><c>GET /deployments/name/{flow}/{deployment}</c>, not cached; null when Prefect has no such deployment.</summary>
    Task<PrefectDeployment?> FindDeploymentAsync(string flowName, string deploymentName, CancellationToken cancellationToken);

    /// <summary>The work pool's <c>ONLINE</c> workers (<c>POST /work_pools/{name}/workers/filter</c>); null when the pool does not exist.</summary>
    Task<IReadOnlyList<PrefectWorker>?> ReadOnlineWorkersAsync(string workPoolName, CancellationToken cancellationToken);

    /// <summary>A Prefect Variable's value as text, or null when the variable does not exist.</summary>
    Task<string?> ReadVariableAsync(string name, CancellationToken cancellationToken);

    /// <summary>Sets a Prefect Variable (updates it, or creates it when missing).</summary>
    Task WriteVariableAsync(string name, string value, CancellationToken cancellationToken);
}
