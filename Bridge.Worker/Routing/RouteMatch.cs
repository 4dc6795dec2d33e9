using Bridge.Contracts;

namespace Bridge.Worker.Routing;

/// <summary>The event filter of a route: repository, event kinds and ref, each optional.</summary>
internal sealed record RouteMatch(GlobPattern? Repository, string? RepositoryUuid, IReadOnlySet<EventKind> Kinds, GlobPattern? Ref)
{
    public bool Matches(PipelineEvent message)
    {
        if (Kinds.Count > 0 && !Kinds.Contains(message.Kind))
        {
            return false;
        }

        if (RepositoryUuid is not null
            && !string.Equals(RepositoryUuid, message.Repository.Uuid, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Repository is not null && !Repository.IsMatch(message.Repository.FullName))
        {
            return false;
        }

        return Ref is null || Ref.IsMatch(RefNames.Bare(message.Ref.Name));
    }
}
