namespace Bridge.Worker.Bitbucket;

/// <summary>The commit a pipeline built.</summary>
internal sealed record PipelineCommit
{
    public string? Hash { get; init; }
}
