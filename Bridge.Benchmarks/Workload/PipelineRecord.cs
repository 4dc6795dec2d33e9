namespace Bridge.Benchmarks.Workload;

/// <summary>What a pipeline built: the commit and the tag.</summary>
internal sealed record PipelineRecord(string Commit, string Tag);
