namespace Bridge.Worker.Prefect;

/// <summary>The part of Prefect's <c>WorkerResponse</c> Bridge reads: a worker process of a work pool.</summary>
internal sealed record PrefectWorker
{
    public required string Name { get; init; }

    /// <summary><c>ONLINE</c> or <c>OFFLINE</c>.</summary>
    public string? Status { get; init; }

    public DateTimeOffset? LastHeartbeatTime { get; init; }
}
