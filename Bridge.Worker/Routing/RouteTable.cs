using Bridge.Contracts;

namespace Bridge.Worker.Routing;

/// <summary>The routes loaded from the routes file at start-up.</summary>
internal sealed class RouteTable(IReadOnlyList<RouteDefinition> routes)
{
    public IReadOnlyList<RouteDefinition> Routes { get; } = routes;

    /// <summary>Every pipeline route the event matches, in file order; each gets its own flow run and status.</summary>
    public IReadOnlyList<RouteDefinition> Match(PipelineEvent message) => [.. Routes.Where(r => !r.TakesWebhooks && r.Matches(message))];

    /// <summary>Every route that opted in to <paramref name="eventKey"/> webhooks and matches the change, in file order.</summary>
    public IReadOnlyList<RouteDefinition> MatchWebhook(string eventKey, PipelineEvent change) =>
        [.. Routes.Where(r => r.Webhooks.Contains(eventKey) && r.Matches(change))];
}
