using Bridge.Contracts;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Identity;
using Bridge.Worker.Triggers;

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

    /// <summary>
    /// Null when <paramref name="route"/> may be triggered for <paramref name="subject"/> by a sender proven to speak for
    /// <paramref name="repositoryUuid"/>, from <paramref name="environment"/> (a step's deployment environment; webhooks have none).
    /// </summary>
    public Rejection? Evaluate(string route, RouteSubject subject, string repositoryUuid, string? environment)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (!RepositoryAllowed(subject.Repository.FullName, repositoryUuid))
        {
            return Refuse(RejectReasons.RepositoryNotAllowed, route, $"repository {subject.Repository.FullName} may not trigger it");
        }

        var refName = RefNames.Bare(subject.Ref.Name);
        var isTag = subject.Ref.Type == RefType.Tag;
        var refs = isTag ? Tags : Branches;
        if (refs.Count > 0 && !refs.Any(p => p.IsMatch(refName)))
        {
            return Refuse(RejectReasons.RefNotAllowed, route, $"{(isTag ? "tag" : "branch")} {refName} may not trigger it");
        }

        if (!EnvironmentAllowed(environment))
        {
            return Refuse(
                RejectReasons.EnvironmentNotAllowed,
                route,
                environment is null
                    ? "only deployment steps of its environments may trigger it, and the token is of no deployment environment"
                    : $"deployment environment {environment} may not trigger it");
        }

        return null;
    }

    private bool RepositoryAllowed(string fullName, string uuid) =>
        (RepositoryUuids.Count == 0 && Repositories.Count == 0)
        || RepositoryUuids.Any(u => BitbucketUuid.Same(u, uuid))
        || Repositories.Any(p => p.IsMatch(fullName));

    private bool EnvironmentAllowed(string? environment) =>
        Environments.Count == 0
        || (environment is not null && Environments.Any(e => BitbucketUuid.Same(e, environment) || string.Equals(e, environment, StringComparison.OrdinalIgnoreCase)));

    private static Rejection Refuse(string reason, string route, string why) => Rejection.Of(reason, $"route {route}: {why}");
}
