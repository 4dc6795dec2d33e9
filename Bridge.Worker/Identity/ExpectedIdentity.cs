using Bridge.Contracts;

namespace Bridge.Worker.Identity;

/// <summary>
/// What a token must be of: the workspace and repository always; the pipeline, the step and the branch when given
/// (null = not bound, e.g. a person following an event with any step token of its repository).
/// </summary>
internal sealed record ExpectedIdentity(WorkspaceInfo Workspace, RepositoryInfo Repository)
{
    public string? PipelineUuid { get; init; }

    public string? StepUuid { get; init; }

    /// <summary>The branch of a merge; tags bind no branch.</summary>
    public string? Branch { get; init; }
}
