using Bridge.Contracts;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Routing;

namespace Bridge.Worker.Triggers;

/// <summary>
/// Something that may start flow runs: a branch merge or a tag at a commit of a repository, from a pipeline step or a
/// webhook delivery (<see cref="Origin"/>). The wire contracts become one of these at the edges; nothing inside the
/// worker reads a <c>PipelineEvent</c> or a delivery.
/// </summary>
internal sealed record Trigger
{
    /// <summary>Stable across redeliveries: it names the flow runs (<c>bridge-event:&lt;id&gt;</c>).</summary>
    public required Guid Id { get; init; }

    public required EventKind Kind { get; init; }

    public required WorkspaceInfo Workspace { get; init; }

    public required RepositoryInfo Repository { get; init; }

    /// <summary>The commit; a webhook's may be abbreviated until admission expands it.</summary>
    public required string Commit { get; init; }

    public required GitRef Ref { get; init; }

    public long? PullRequestId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required TriggerOrigin Origin { get; init; }

    /// <summary>What routes match on.</summary>
    public RouteSubject Subject => new(Kind, Repository, Ref);

    /// <summary>The commit its statuses are posted on.</summary>
    public StatusTarget StatusTarget => new(Workspace.Uuid, Repository.Uuid, Commit);
}
