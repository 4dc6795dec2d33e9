namespace Bridge.Worker.Prefect;

/// <summary>The run Prefect returned, and whether this call created it (201) or found it by idempotency key (200).</summary>
internal sealed record CreatedFlowRun(PrefectFlowRun Run, bool Created);
