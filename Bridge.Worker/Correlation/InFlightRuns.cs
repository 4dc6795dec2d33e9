using System.Collections.Concurrent;

namespace Bridge.Worker.Correlation;

/// <summary>
/// The runs this worker knows to be unfinished (from dispatch and from the repair sweep), so that a run deleted in
/// Prefect can still be reported. Rebuilt from Prefect at start; never the system of record.
/// </summary>
internal sealed class InFlightRuns
{
    private readonly ConcurrentDictionary<Guid, TrackedRun> _runs = new();

    public int Count => _runs.Count;

    public void Track(TrackedRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        _runs[run.Run.Id] = run;
    }

    public void Forget(Guid flowRunId) => _runs.TryRemove(flowRunId, out _);

    public IReadOnlyList<TrackedRun> Snapshot() => [.. _runs.Values];
}
