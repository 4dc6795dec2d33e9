namespace Bridge.Worker.PipelineEvents;

/// <summary>The answer to <c>GET /v1/events/{id}</c>: the event's flow runs as Prefect has them now.</summary>
internal sealed record FollowedEvent
{
    public required Guid EventId { get; init; }

    /// <summary>True when every route's run is in a final state.</summary>
    public required bool Finished { get; init; }

    /// <summary>True when every route's run completed.</summary>
    public required bool Succeeded { get; init; }

    public required IReadOnlyList<FollowedRoute> Routes { get; init; }
}
