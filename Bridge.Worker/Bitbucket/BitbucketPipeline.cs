namespace Bridge.Worker.Bitbucket;

/// <summary>The part of Bitbucket's <c>pipeline</c> Bridge reads: what it built (a <c>pipeline_ref_target</c>).</summary>
internal sealed record BitbucketPipeline
{
    public string? Uuid { get; init; }

    public PipelineTarget? Target { get; init; }
}
