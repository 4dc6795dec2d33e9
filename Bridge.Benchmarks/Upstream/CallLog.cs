using System.Collections.Concurrent;
using System.Diagnostics;

namespace Bridge.Benchmarks.Upstream;

/// <summary>
/// What the fake upstream saw in one phase: every call by endpoint, when the first event call (a pipeline read) came,
/// and when each commit's first INPROGRESS status arrived. Actions given to <see cref="Begin"/> run on the request
/// thread at the first event call and at the last expected INPROGRESS, so that CPU can be read at those instants.
/// </summary>
internal sealed class CallLog
{
    readonly ConcurrentDictionary<string, long> calls = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, long> inProgress = new(StringComparer.Ordinal);
    Phase phase = new(0, null, null);

    /// <summary>Stopwatch timestamp of the first pipeline read of the phase (0 before it).</summary>
    public long FirstEventCall => Volatile.Read(ref phase.FirstEventCall);

    /// <summary>Stopwatch timestamp of the INPROGRESS that completed the phase (0 before it).</summary>
    public long LastInProgress => Volatile.Read(ref phase.LastInProgress);

    public IReadOnlyDictionary<string, long> Calls => calls;

    /// <summary>First INPROGRESS arrival (Stopwatch timestamp) per commit.</summary>
    public IReadOnlyDictionary<string, long> InProgressByCommit => inProgress;

    public int InProgressCount => inProgress.Count;

    /// <summary>Forgets the previous phase; <paramref name="expected"/> INPROGRESS statuses complete this one.</summary>
    public void Begin(int expected, Action? atFirstEventCall = null, Action? atLastInProgress = null)
    {
        calls.Clear();
        inProgress.Clear();
        phase = new Phase(expected, atFirstEventCall, atLastInProgress);
    }

    public void Count(string endpoint) => calls.AddOrUpdate(endpoint, 1, (_, n) => n + 1);

    public void EventCall()
    {
        var current = phase;
        if (Interlocked.CompareExchange(ref current.FirstEventCall, Stopwatch.GetTimestamp(), 0) == 0)
        {
            current.AtFirstEventCall?.Invoke();
        }
    }

    public void InProgress(string commit)
    {
        var current = phase;
        if (inProgress.TryAdd(commit, Stopwatch.GetTimestamp()) && inProgress.Count == current.Expected)
        {
            Volatile.Write(ref current.LastInProgress, Stopwatch.GetTimestamp());
            current.AtLastInProgress?.Invoke();
            current.Completed.TrySetResult();
        }
    }

    /// <summary>Completes when the phase's expected INPROGRESS statuses have all arrived; throws after <paramref name="timeout"/>.</summary>
    public async Task WaitForInProgressAsync(TimeSpan timeout)
    {
        try
        {
            await phase.Completed.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"{InProgressCount} of {phase.Expected} INPROGRESS statuses arrived within {timeout.TotalSeconds:0} s; calls: "
                + string.Join(", ", calls.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}")));
        }
    }

    sealed class Phase(int expected, Action? atFirstEventCall, Action? atLastInProgress)
    {
        public readonly int Expected = expected;
        public readonly Action? AtFirstEventCall = atFirstEventCall;
        public readonly Action? AtLastInProgress = atLastInProgress;
        public readonly TaskCompletionSource Completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public long FirstEventCall;
        public long LastInProgress;
    }
}
