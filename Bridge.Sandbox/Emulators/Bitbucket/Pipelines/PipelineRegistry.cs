using System.Collections.Concurrent;

namespace Bridge.Sandbox.Emulators;

/// <summary>The pipelines an emulator knows, by pipeline UUID. Thread-safe; may be shared by several emulators.</summary>
public sealed class PipelineRegistry
{
    private readonly ConcurrentDictionary<string, PipelineRecord> pipelines = new(StringComparer.OrdinalIgnoreCase);

    public void Add(PipelineRecord pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        pipelines[pipeline.PipelineUuid] = pipeline;
    }

    /// <summary>Every pipeline, in no particular order.</summary>
    internal IEnumerable<PipelineRecord> All => pipelines.Values;

    /// <summary>
    /// The pipeline, when <paramref name="workspace"/> (slug or brace-wrapped UUID) and <paramref name="repository"/>
    /// (slug or brace-wrapped UUID) name the repository it ran in.
    /// </summary>
    public PipelineRecord? Find(string workspace, string repository, string pipelineUuid)
    {
        if (!pipelines.TryGetValue(pipelineUuid, out var pipeline))
        {
            return null;
        }

        var workspaceMatches = Same(workspace, pipeline.WorkspaceSlug) || Same(workspace, pipeline.WorkspaceUuid);
        var repositoryMatches = Same(repository, pipeline.RepositoryFullName.Split('/')[^1]) || Same(repository, pipeline.RepositoryUuid);
        return workspaceMatches && repositoryMatches ? pipeline : null;
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
