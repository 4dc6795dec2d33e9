namespace Bridge.Worker.Bitbucket;

/// <summary>The Bitbucket REST calls Bridge makes.</summary>
internal interface IBitbucketClient
{
    /// <summary>Creates or overwrites the build status with <c>status.Key</c> on the target commit.</summary>
    Task PostBuildStatusAsync(StatusTarget target, BitbucketBuildStatus status, CancellationToken cancellationToken);

    /// <summary>The build status with <paramref name="key"/> on the commit (its state and link), or null when there is none.</summary>
    Task<PostedStatus?> GetBuildStatusAsync(StatusTarget target, string key, CancellationToken cancellationToken);

    /// <summary>The pipeline (<c>GET …/pipelines/{uuid}</c>), or null when Bitbucket knows no such pipeline in the repository.</summary>
    Task<BitbucketPipeline?> GetPipelineAsync(string workspaceUuid, string repositoryUuid, string pipelineUuid, CancellationToken cancellationToken);

    /// <summary>
    /// The full 40-character hash of <paramref name="commit"/> (a full hash or a prefix, e.g. the 12 characters of a
    /// pull-request webhook) through <c>GET …/commit/{commit}</c>, or null when the repository has no such commit or the
    /// prefix is ambiguous. <paramref name="commit"/> must be 1 to 40 hex characters (ArgumentException otherwise).
    /// </summary>
    Task<string?> GetFullCommitHashAsync(string workspace, string repository, string commit, CancellationToken cancellationToken);

    /// <summary>
    /// One page with the repository's newest pipeline (<c>GET …/pipelines?sort=-created_on&amp;pagelen=1</c>), empty when it has
    /// none yet; null when Bitbucket knows no such repository.
    /// </summary>
    Task<BitbucketPage?> GetNewestPipelinesAsync(string workspace, string repository, CancellationToken cancellationToken);

    /// <summary>How many statuses the commit has (<c>GET …/commit/{commit}/statuses</c>); null when Bitbucket knows no such commit.</summary>
    Task<int?> CountStatusesAsync(string workspace, string repository, string commit, CancellationToken cancellationToken);
}
