namespace Bridge.Worker.Prefect;

/// <summary>The answer to <c>POST /flow_runs/{id}/set_state</c>: <c>ACCEPT</c>, <c>REJECT</c>, <c>ABORT</c> or <c>WAIT</c>, and the state the run is in.</summary>
internal sealed record PrefectOrchestrationResult
{
    public string? Status { get; init; }

    public PrefectState? State { get; init; }
}
