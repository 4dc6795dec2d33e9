using Bridge.Worker.Bitbucket;
using Bridge.Worker.Dispatch;
using Bridge.Worker.Prefect;

namespace Bridge.Worker.Correlation;

/// <summary>What is needed to report on one of Bridge's flow runs, read back from the run's own tags and labels.</summary>
internal sealed record CorrelatedRun(Guid Id, string? Name, StatusTarget Target, string StatusKey, string StatusName, string? Ref)
{
    /// <summary>The run's correlation, or null when it is not a Bridge run (no <c>bridge</c> tag or labels missing).</summary>
    public static CorrelatedRun? From(PrefectFlowRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!run.Tags.Contains(CorrelationLabels.Tag, StringComparer.Ordinal))
        {
            return null;
        }

        var workspace = run.Label(CorrelationLabels.WorkspaceUuid);
        var repository = run.Label(CorrelationLabels.RepositoryUuid);
        var commit = run.Label(CorrelationLabels.Commit);
        var key = run.Label(CorrelationLabels.StatusKey);
        var name = run.Label(CorrelationLabels.StatusName);
        if (string.IsNullOrEmpty(workspace) || string.IsNullOrEmpty(repository) || string.IsNullOrEmpty(commit)
            || string.IsNullOrEmpty(key) || string.IsNullOrEmpty(name))
        {
            return null;
        }

        return new CorrelatedRun(run.Id, run.Name, new StatusTarget(workspace, repository, commit), key, name, run.Label(CorrelationLabels.Ref));
    }
}
