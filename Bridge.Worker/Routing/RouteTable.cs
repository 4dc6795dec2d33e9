namespace Bridge.Worker.Routing;

/// <summary>The routes loaded from the routes file at start-up.</summary>
internal sealed class RouteTable(IReadOnlyList<RouteDefinition> routes)
{
    public IReadOnlyList<RouteDefinition> Routes { get; } = routes;

    /// <summary>Every pipeline route the subject matches, in file order; each gets its own flow run and status.</summary>
    public IReadOnlyList<RouteDefinition> ForPipelineStep(RouteSubject subject) => [.. Routes.Where(r => !r.TakesWebhooks && r.Matches(subject))];

    /// <summary>Every route that opted in to <paramref name="eventKey"/> webhooks and matches the subject, in file order.</summary>
    public IReadOnlyList<RouteDefinition> ForWebhook(string eventKey, RouteSubject subject) =>
        [.. Routes.Where(r => r.Webhooks.Contains(eventKey) && r.Matches(subject))];
}
