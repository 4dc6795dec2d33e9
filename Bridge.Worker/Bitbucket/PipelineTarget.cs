namespace Bridge.Worker.Bitbucket;

/// <summary><c>pipeline_ref_target</c>: <c>ref_type</c> is branch, tag, named_branch or bookmark.</summary>
internal sealed record PipelineTarget
{
    public string? Type { get; init; }

    public string? RefType { get; init; }

    public string? RefName { get; init; }

    public PipelineCommit? Commit { get; init; }
}
