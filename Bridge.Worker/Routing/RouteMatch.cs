using Bridge.Contracts;

namespace Bridge.Worker.Routing;

/// <summary>The event filter of a route: repository, event kinds and ref, each optional.</summary>
internal sealed record RouteMatch(GlobPattern? Repository, string? RepositoryUuid, IReadOnlySet<EventKind> Kinds, GlobPattern? Ref)
{
    public bool Matches(RouteSubject subject)
    {
        if (Kinds.Count > 0 && !Kinds.Contains(subject.Kind))
        {
            return false;
        }

        if (RepositoryUuid is not null
            && !string.Equals(RepositoryUuid, subject.Repository.Uuid, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Repository is not null && !Repository.IsMatch(subject.Repository.FullName))
        {
            return false;
        }

        return Ref is null || Ref.IsMatch(RefNames.Bare(subject.Ref.Name));
    }
}
