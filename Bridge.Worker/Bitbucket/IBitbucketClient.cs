namespace Bridge.Worker.Bitbucket;

/// <summary>The Bitbucket REST calls Bridge makes.</summary>
internal interface IBitbucketClient
{
    /// <summary>Creates or overwrites the build status with <c>status.Key</c> on the target commit.</summary>
    Task PostBuildStatusAsync(StatusTarget target, BuildStatus status, CancellationToken cancellationToken);
}
