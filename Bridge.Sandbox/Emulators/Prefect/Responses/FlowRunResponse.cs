using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>Prefect's <c>FlowRunResponse</c> (snake_case on the wire).</summary>
internal sealed record FlowRunResponse
{
    public required Guid Id { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset Updated { get; init; }
    public required string Name { get; init; }
    public required Guid FlowId { get; init; }
    public Guid? StateId { get; init; }
    public Guid? DeploymentId { get; init; }
    public string? DeploymentVersion { get; init; }
    public Guid? WorkQueueId { get; init; }
    public string? WorkQueueName { get; init; }
    public string? FlowVersion { get; init; }
    public required JsonObject Parameters { get; init; }
    public string? IdempotencyKey { get; init; }
    public required JsonObject Context { get; init; }
    public required JsonObject EmpiricalPolicy { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public required JsonObject Labels { get; init; }
    public Guid? ParentTaskRunId { get; init; }
    public string? StateType { get; init; }
    public string? StateName { get; init; }
    public int RunCount { get; init; }
    public DateTimeOffset? ExpectedStartTime { get; init; }
    public DateTimeOffset? NextScheduledStartTime { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public DateTimeOffset? EndTime { get; init; }
    public double TotalRunTime { get; init; }
    public double EstimatedRunTime { get; init; }
    public double EstimatedStartTimeDelta { get; init; }
    public bool AutoScheduled { get; init; }
    public Guid? InfrastructureDocumentId { get; init; }
    public string? InfrastructurePid { get; init; }
    public JsonObject? CreatedBy { get; init; }
    public Guid? WorkPoolId { get; init; }
    public string? WorkPoolName { get; init; }
    public StateResponse? State { get; init; }
    public JsonObject? JobVariables { get; init; }
}
