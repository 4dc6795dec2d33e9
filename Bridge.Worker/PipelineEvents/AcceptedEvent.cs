namespace Bridge.Worker.PipelineEvents;

/// <summary>The 202 answer: the event is on the queue (the broker confirmed it) and these routes will run.</summary>
internal sealed record AcceptedEvent
{
    public required Guid EventId { get; init; }

    public required IReadOnlyList<AcceptedRoute> Routes { get; init; }
}
