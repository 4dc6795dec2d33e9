using System.Globalization;
using System.Text.Json.Nodes;
using Bridge.Sandbox.Emulators;

namespace Bridge.Benchmarks.Faults;

/// <summary>
/// What became of a scenario's events, read from the emulators' records (every flow run, every status POST in arrival
/// order, the statuses as they stand, every write of the watermark variable) and the broker's queue counts.
/// </summary>
internal sealed record Outcome
{
    public int Published { get; init; }

    /// <summary>Events with at least one flow run.</summary>
    public int WithRun { get; init; }

    /// <summary>Flow runs beyond the first per event.</summary>
    public int DuplicateRuns { get; init; }

    /// <summary>Events without a run that are neither in <c>_error</c>/<c>_skipped</c> nor still queued: gone without a trace.</summary>
    public int Lost { get; init; }

    public uint Queued { get; init; }

    public uint InError { get; init; }

    public uint InSkipped { get; init; }

    public int RunsEnded { get; init; }

    /// <summary>Ended runs whose commit shows the run's final status (SUCCESSFUL or FAILED) as it stands now.</summary>
    public int FinalLast { get; init; }

    /// <summary>Ended runs whose commit still shows INPROGRESS: the commit stays "in progress".</summary>
    public int EndsInProgress { get; init; }

    /// <summary>Accepted posts of a final state beyond the first, per commit, key and state.</summary>
    public int DuplicateFinalPosts { get; init; }

    /// <summary>Commits (per key) where an accepted INPROGRESS arrived after an accepted final status.</summary>
    public int InProgressAfterFinal { get; init; }

    /// <summary>Status POSTs answered 429.</summary>
    public int StatusPosts429 { get; init; }

    /// <summary>Accepted writes (create or update) of the watermark variable.</summary>
    public int WatermarkWrites { get; init; }

    /// <summary>Watermark writes whose value is earlier than the previous write's (or is not a timestamp).</summary>
    public int WatermarkBackward { get; init; }

    /// <summary>The largest step back of the watermark, zero when it never moved back.</summary>
    public TimeSpan WatermarkLargestStepBack { get; init; }

    /// <summary>Every event has a run, every run ended and shows its final status, and the queue is empty.</summary>
    public bool Settled => WithRun + InError + InSkipped >= Published && RunsEnded == WithRun + DuplicateRuns && FinalLast == RunsEnded && Queued == 0;

    public static Outcome Of(
        IReadOnlyList<IssuedEvent> events, IReadOnlyList<FlowRunRecord> runs, IReadOnlyList<CommitStatusRecord> statuses,
        IReadOnlyList<StatusPostCall> posts, IReadOnlyList<VariableWrite> watermark, uint queued, uint inError, uint inSkipped)
    {
        ArgumentNullException.ThrowIfNull(watermark);
        var commits = events.Select(e => e.Commit).ToHashSet(StringComparer.Ordinal);
        var ours = runs.Where(r => Label(r, "bridge.commit") is { } c && commits.Contains(c)).ToList();
        var withRun = ours.Select(r => Label(r, "bridge.commit")!).Distinct(StringComparer.Ordinal).Count();
        var current = statuses.Where(s => commits.Contains(s.Commit)).ToDictionary(s => (s.Commit, s.Key), s => s.State);
        var ended = ours.Where(r => StateTypes.IsTerminal(r.StateType)).ToList();
        var finalLast = ended.Count(r => current.GetValueOrDefault((Label(r, "bridge.commit")!, Label(r, "bridge.status-key") ?? "")) == FinalState(r.StateType));
        var inProgress = ended.Count(r => current.GetValueOrDefault((Label(r, "bridge.commit")!, Label(r, "bridge.status-key") ?? "")) == "INPROGRESS");

        var accepted = posts
            .Where(p => p.StatusCode is 200 or 201 && commits.Contains(p.Commit))
            .Select(p => (p.Commit, Key: p.Body?["key"]?.GetValue<string>() ?? "", State: p.Body?["state"]?.GetValue<string>() ?? ""))
            .ToList();
        var duplicateFinals = accepted.Where(p => p.State != "INPROGRESS").GroupBy(p => p).Sum(g => g.Count() - 1);
        var inProgressAfterFinal = accepted.GroupBy(p => (p.Commit, p.Key)).Count(g =>
        {
            var states = g.Select(p => p.State).ToList();
            var firstFinal = states.FindIndex(s => s != "INPROGRESS");
            return firstFinal >= 0 && states.Skip(firstFinal + 1).Contains("INPROGRESS");
        });

        var (backward, largestBack) = Backward(watermark);

        return new Outcome
        {
            Published = events.Count,
            WithRun = withRun,
            DuplicateRuns = ours.Count - withRun,
            Lost = Math.Max(0, events.Count - withRun - (int)(queued + inError + inSkipped)),
            Queued = queued,
            InError = inError,
            InSkipped = inSkipped,
            RunsEnded = ended.Count,
            FinalLast = finalLast,
            EndsInProgress = inProgress,
            DuplicateFinalPosts = duplicateFinals,
            InProgressAfterFinal = inProgressAfterFinal,
            StatusPosts429 = posts.Count(p => p.StatusCode == 429 && commits.Contains(p.Commit)),
            WatermarkWrites = watermark.Count,
            WatermarkBackward = backward,
            WatermarkLargestStepBack = largestBack,
        };
    }

    /// <summary>
    /// Writes earlier than the last timestamp written before them, and the largest such step; a value that is no
    /// timestamp counts as a step back too (Bridge would read it as no watermark and look back from the start).
    /// </summary>
    static (int Count, TimeSpan Largest) Backward(IReadOnlyList<VariableWrite> writes)
    {
        var (count, largest) = (0, TimeSpan.Zero);
        DateTimeOffset? last = null;
        foreach (var write in writes)
        {
            if (write.Value is not JsonValue value || !value.TryGetValue<string>(out var text)
                || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                count++;
                continue;
            }

            if (last is { } previous && at < previous)
            {
                (count, largest) = (count + 1, previous - at > largest ? previous - at : largest);
            }

            last = at;
        }

        return (count, largest);
    }

    /// <summary>The Bitbucket state Bridge posts for a Prefect end state.</summary>
    public static string FinalState(string prefectState) => prefectState switch
    {
        StateTypes.Completed => "SUCCESSFUL",
        StateTypes.Cancelled => "STOPPED",
        _ => "FAILED",
    };

    static string? Label(FlowRunRecord run, string key) => run.Labels[key]?.GetValue<string>();
}
