namespace Bridge.Sandbox.Emulators;

/// <summary>A commit of a repository, as <c>GET …/commit/{commit}</c> serves it (swagger <c>commit</c>).</summary>
public sealed record CommitRecord
{
    public required string WorkspaceSlug { get; init; }

    public required string WorkspaceUuid { get; init; }

    /// <summary><c>workspace/repo-slug</c>.</summary>
    public required string RepositoryFullName { get; init; }

    public required string RepositoryUuid { get; init; }

    /// <summary>The full 40-character SHA-1, lowercase.</summary>
    public required string Hash { get; init; }

    public string Message { get; init; } = "Sandbox commit\n";

    /// <summary>The author as git recorded it (<c>Name &lt;e-mail&gt;</c>).</summary>
    public string Author { get; init; } = "Bridge Sandbox <sandbox@example.com>";

    public DateTimeOffset Date { get; init; } = DateTimeOffset.UnixEpoch;

    /// <summary>The commit a pipeline built, in the pipeline's repository.</summary>
    public static CommitRecord Of(PipelineRecord pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return new CommitRecord
        {
            WorkspaceSlug = pipeline.WorkspaceSlug,
            WorkspaceUuid = pipeline.WorkspaceUuid,
            RepositoryFullName = pipeline.RepositoryFullName,
            RepositoryUuid = pipeline.RepositoryUuid,
            Hash = pipeline.Commit,
            Date = pipeline.CreatedOn,
        };
    }
}
