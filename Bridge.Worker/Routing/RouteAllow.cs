namespace Bridge.Worker.Routing;

/// <summary>
/// A route's allow rules (<c>allow:</c> in the routes file): which repositories, branches, tags and deployment
/// environments may trigger it. Null or empty lists allow anything; an event a route matches but does not allow is rejected.
/// </summary>
internal sealed record RouteAllow
{
    public static RouteAllow Anything { get; } = new();

    /// <summary>Repository UUIDs in braces.</summary>
    public IReadOnlyList<string> RepositoryUuids { get; init; } = [];

    /// <summary>Globs on <c>workspace/repo-slug</c>.</summary>
    public IReadOnlyList<GlobPattern> Repositories { get; init; } = [];

    public IReadOnlyList<GlobPattern> Branches { get; init; } = [];

    public IReadOnlyList<GlobPattern> Tags { get; init; } = [];

    /// <summary>Deployment environment UUIDs (in braces) or names; when given, only deployment steps of these may trigger the route.</summary>
    public IReadOnlyList<string> Environments { get; init; } = [];

    public bool RepositoryAllowed(string fullName, string uuid) =>
        (RepositoryUuids.Count == 0 && Repositories.Count == 0)
        || RepositoryUuids.Any(u => string.Equals(u, uuid, StringComparison.OrdinalIgnoreCase))
        || Repositories.Any(p => p.IsMatch(fullName));

    public bool EnvironmentAllowed(string? environment) =>
        Environments.Count == 0
        || (environment is not null && Environments.Any(e => string.Equals(e.Trim('{', '}'), environment.Trim('{', '}'), StringComparison.OrdinalIgnoreCase)));
}
