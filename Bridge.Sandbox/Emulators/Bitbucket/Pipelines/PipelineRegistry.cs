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

        return Names(pipeline, workspace, repository) ? pipeline : null;
    }

    /// <summary>The pipelines of the repository (slugs or brace-wrapped UUIDs), oldest first.</summary>
    public IReadOnlyList<PipelineRecord> InRepository(string workspace, string repository) =>
        [.. pipelines.Values.Where(p => Names(p, workspace, repository)).OrderBy(p => p.CreatedOn)];

    private static bool Names(PipelineRecord pipeline, string workspace, string repository) =>
        (Same(workspace, pipeline.WorkspaceSlug) || Same(workspace, pipeline.WorkspaceUuid))
        && (Same(repository, pipeline.RepositoryFullName.Split('/')[^1]) || Same(repository, pipeline.RepositoryUuid));

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
