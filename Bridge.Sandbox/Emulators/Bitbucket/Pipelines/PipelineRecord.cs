namespace Bridge.Sandbox.Emulators;

/// <summary>A pipeline Bitbucket ran: the repository, and the ref and commit it built (swagger <c>pipeline_ref_target</c>).</summary>
public sealed record PipelineRecord
{
    public required string WorkspaceSlug { get; init; }

    public required string WorkspaceUuid { get; init; }

    /// <summary><c>workspace/repo-slug</c>.</summary>
    public required string RepositoryFullName { get; init; }

    public required string RepositoryUuid { get; init; }

    public required string PipelineUuid { get; init; }

    /// <summary><c>branch</c>, <c>tag</c>, <c>named_branch</c> or <c>bookmark</c>.</summary>
    public required string RefType { get; init; }

    public required string RefName { get; init; }

    public required string Commit { get; init; }

    public long BuildNumber { get; init; } = 1;

    public DateTimeOffset CreatedOn { get; init; } = DateTimeOffset.UnixEpoch;
}
