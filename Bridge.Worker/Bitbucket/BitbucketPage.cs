namespace Bridge.Worker.Bitbucket;

/// <summary>The part of one of Bitbucket's paginated answers Bridge reads: how many items there are, and this page's pipelines.</summary>
internal sealed record BitbucketPage
{
    public int? Size { get; init; }

    /// <summary>Read only from a page of pipelines; a page of anything else leaves it unread.</summary>
    public List<BitbucketPipeline> Values { get; init; } = [];
}
