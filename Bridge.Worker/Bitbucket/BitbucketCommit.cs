namespace Bridge.Worker.Bitbucket;

/// <summary>The part of Bitbucket's <c>commit</c> Bridge reads: its full hash.</summary>
internal sealed record BitbucketCommit
{
    public string? Hash { get; init; }
}
