using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>A snapshot of a flow run held by the Prefect emulator (the JSON objects are copies; changing them changes nothing).</summary>
public sealed record FlowRunRecord
{
    public required Guid Id { get; init; }

    public required Guid FlowId { get; init; }

    public Guid? DeploymentId { get; init; }

    public required string Name { get; init; }

    public required JsonObject Parameters { get; init; }

    public required IReadOnlyList<string> Tags { get; init; }

    public required JsonObject Labels { get; init; }

    public string? IdempotencyKey { get; init; }

    public required FlowRunStateRecord State { get; init; }

    public required JsonObject Context { get; init; }

    public required JsonObject JobVariables { get; init; }

    public required JsonObject EmpiricalPolicy { get; init; }

    public string? WorkPoolName { get; init; }

    public string? WorkQueueName { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required DateTimeOffset Updated { get; init; }

    public DateTimeOffset? ExpectedStartTime { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    public int RunCount { get; init; }

    public string StateType => State.Type;

    public string StateName => State.Name;

    public string? StateMessage => State.Message;

    internal FlowRunRecord Copy() => this with
    {
        Parameters = Parameters.DeepClone().AsObject(),
        Labels = Labels.DeepClone().AsObject(),
        Context = Context.DeepClone().AsObject(),
        JobVariables = JobVariables.DeepClone().AsObject(),
        EmpiricalPolicy = EmpiricalPolicy.DeepClone().AsObject(),
    };
}
