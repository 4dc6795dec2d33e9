namespace Bridge.Sandbox.Emulators;

/// <summary>A worker process known to the Prefect emulator, as a heartbeat would have registered it.</summary>
public sealed record WorkerRecord
{
    public required Guid Id { get; init; }

    public required string Name { get; init; }

    public required string WorkPoolName { get; init; }

    public required Guid WorkPoolId { get; init; }

    /// <summary><c>ONLINE</c> or <c>OFFLINE</c> (Prefect's <c>WorkerStatus</c>).</summary>
    public required string Status { get; init; }

    public required DateTimeOffset LastHeartbeatTime { get; init; }
}
