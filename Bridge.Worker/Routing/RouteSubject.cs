using Bridge.Contracts;

namespace Bridge.Worker.Routing;

/// <summary>What a route matches on: the event kind, the repository and the ref.</summary>
internal sealed record RouteSubject(EventKind Kind, RepositoryInfo Repository, GitRef Ref);
