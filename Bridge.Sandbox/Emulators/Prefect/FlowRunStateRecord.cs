namespace Bridge.Sandbox.Emulators;

/// <summary>A flow run's current state. <see cref="Type"/> is a Prefect StateType (<c>SCHEDULED</c>, <c>COMPLETED</c>…).</summary>
public sealed record FlowRunStateRecord(
    Guid Id, string Type, string Name, DateTimeOffset Timestamp, string? Message, DateTimeOffset? ScheduledTime);
