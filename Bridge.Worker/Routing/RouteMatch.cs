using Bridge.Contracts;

namespace Bridge.Worker.Routing;

/// <summary>The event filter of a route: repository, event kinds and ref, each optional.</summary>
internal sealed record RouteMatch(GlobPattern? Repository, string? RepositoryUuid, IReadOnlySet<EventKind> Kinds, GlobPattern? Ref)
{
    public bool Matches(RouteSubject subject) => Misses(subject).Count == 0;

    /// <summary>Each condition <paramref name="subject"/> fails, in words (<c>bridge routes explain</c> prints them); empty when it matches.</summary>
    public IReadOnlyList<string> Misses(RouteSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var misses = new List<string>(0);
        if (Kinds.Count > 0 && !Kinds.Contains(subject.Kind))
        {
            misses.Add($"kind: {Name(subject.Kind)} is not in match.events [{string.Join(", ", Kinds.Select(Name))}]");
        }

        if (RepositoryUuid is not null
            && !string.Equals(RepositoryUuid, subject.Repository.Uuid, StringComparison.OrdinalIgnoreCase))
        {
            misses.Add($"repository: {subject.Repository.Uuid} is not match.repository {RepositoryUuid}");
        }

        if (Repository is not null && !Repository.IsMatch(subject.Repository.FullName))
        {
            misses.Add($"repository: {subject.Repository.FullName} does not match match.repository '{Repository}'");
        }

        if (Ref is not null && !Ref.IsMatch(RefNames.Bare(subject.Ref.Name)))
        {
            misses.Add($"ref: {RefNames.Bare(subject.Ref.Name)} does not match match.ref '{Ref}'");
        }

        return misses;
    }

    private static string Name(EventKind kind) => kind == EventKind.Tag ? "tag" : "merge";
}
