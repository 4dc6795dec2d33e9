using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>Prefect's <c>StateDetails</c>; the emulator fills only the flow run id and the scheduled time.</summary>
internal sealed record StateDetailsResponse
{
    public Guid? FlowRunId { get; init; }
    public Guid? TaskRunId { get; init; }
    public Guid? ChildFlowRunId { get; init; }
    public DateTimeOffset? ScheduledTime { get; init; }
    public string? CacheKey { get; init; }
    public DateTimeOffset? CacheExpiration { get; init; }
    public bool? Deferred { get; init; } = false;
    public bool UntrackableResult { get; init; }
    public DateTimeOffset? PauseTimeout { get; init; }
    public bool PauseReschedule { get; init; }
    public string? PauseKey { get; init; }
    public JsonObject? RunInputKeyset { get; init; }
    public bool? RefreshCache { get; init; }
    public bool? Retriable { get; init; }
    public Guid? TransitionId { get; init; }
    public Guid? TaskParametersId { get; init; }
    public string? Traceparent { get; init; }
    public Guid? DeploymentConcurrencyLeaseId { get; init; }
}
