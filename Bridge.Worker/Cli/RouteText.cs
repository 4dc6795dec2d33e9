using Bridge.Contracts;
using Bridge.Worker.Routing;

namespace Bridge.Worker.Cli;

/// <summary>A route's filter in words, for the <c>routes</c> verbs.</summary>
internal static class RouteText
{
    public static string Takes(RouteDefinition route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var match = route.Match;
        var kinds = match.Kinds.Count == 0 ? "merge and tag" : string.Join(" and ", match.Kinds.Order().Select(k => k == EventKind.Tag ? "tag" : "merge"));
        var source = route.TakesWebhooks ? $"{string.Join(", ", route.Webhooks.Order(StringComparer.Ordinal))} webhooks" : "pipeline events";
        var repository = match.RepositoryUuid ?? match.Repository?.Pattern ?? "any repository";
        var refs = match.Ref is { } pattern ? $", ref {pattern}" : string.Empty;
        return $"{kinds} {source}, {repository}{refs}";
    }
}
