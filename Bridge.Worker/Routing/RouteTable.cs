using Bridge.Contracts;

namespace Bridge.Worker.Routing;

/// <summary>The routes loaded from the routes file at start-up.</summary>
internal sealed class RouteTable(IReadOnlyList<RouteDefinition> routes)
{
    public IReadOnlyList<RouteDefinition> Routes { get; } = routes;

    /// <summary>Every route the event matches, in file order; each gets its own flow run and status.</summary>
    public IReadOnlyList<RouteDefinition> Match(PipelineEvent message) => [.. Routes.Where(r => r.Matches(message))];
}
