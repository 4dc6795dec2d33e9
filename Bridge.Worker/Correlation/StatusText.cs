using System.Globalization;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Prefect;

namespace Bridge.Worker.Correlation;

/// <summary>
/// Maps a flow run's state to a build status, in a person's words: COMPLETED → SUCCESSFUL, FAILED and CRASHED → FAILED,
/// CANCELLED → STOPPED; the description gives the state's name, its message cut to fit, and the run's duration.
/// A run that is not finished stays INPROGRESS and gets a description only when there is something worth telling.
/// </summary>
internal static class StatusText
{
    /// <summary>Longest description Bridge posts (Bitbucket documents none; 255 is what peers keep to).</summary>
    public const int MaxDescription = 255;

    public const string Deleted = "flow run deleted in Prefect";

    /// <summary>The Bitbucket state for a terminal Prefect state type, or null when the run is not finished.</summary>
    public static string? FinalState(string? stateType) => stateType switch
    {
        PrefectStateTypes.Completed => BuildState.Successful,
        PrefectStateTypes.Failed or PrefectStateTypes.Crashed => BuildState.Failed,
        PrefectStateTypes.Cancelled => BuildState.Stopped,
        _ => null,
    };

    /// <summary>The status a run calls for, or null when it calls for no post (still running, nothing worth telling).</summary>
    public static StatusUpdate? For(PrefectFlowRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var name = run.StateName ?? run.State?.Name ?? run.StateType ?? "Unknown";
        var message = run.State?.Message;
        if (FinalState(run.StateType) is { } final)
        {
            var duration = Duration(run);
            var head = duration is null
                ? run.StateType == PrefectStateTypes.Cancelled ? $"{name} before it started" : name
                : run.StateType == PrefectStateTypes.Completed ? $"{name} in {duration}" : $"{name} after {duration}";
            return new StatusUpdate(final, Fit(head, message));
        }

        return name switch
        {
            "Late" => new StatusUpdate(BuildState.InProgress, Fit("Late: not started at its scheduled time", message)),
            "AwaitingConcurrencySlot" => new StatusUpdate(BuildState.InProgress, Fit("Waiting for a concurrency slot", message)),
            "Paused" or "Suspended" => new StatusUpdate(BuildState.InProgress, Fit(name, message)),
            _ when run.StateType == PrefectStateTypes.Paused => new StatusUpdate(BuildState.InProgress, Fit(name, message)),
            _ => null,
        };
    }

    /// <summary>INPROGRESS as the run was created or found: <c>Prefect flow run &lt;name&gt; scheduled</c>.</summary>
    public static StatusUpdate Started(PrefectFlowRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var state = string.IsNullOrEmpty(run.StateName) ? "scheduled" : run.StateName.ToLowerInvariant();
        return new(BuildState.InProgress, Fit($"Prefect flow run {run.Name} {state}"));
    }

    public static StatusUpdate WaitingForWorker(string? pool) =>
        new(BuildState.InProgress, Fit($"Scheduled, waiting for a worker in pool {pool ?? "(none)"}", null));

    public static StatusUpdate Superseded(string commit) =>
        new(BuildState.Stopped, $"superseded by {(commit.Length > 12 ? commit[..12] : commit)}");

    public static StatusUpdate DeletedRun() => new(BuildState.Stopped, Deleted);

    /// <summary><c>12s</c>, <c>1m 23s</c>, <c>2h 05m</c>; null when the run never started.</summary>
    public static string? Duration(PrefectFlowRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        TimeSpan? span = run.StartTime is { } start && run.EndTime is { } end && end >= start ? end - start
            : run.TotalRunTime > 0 ? TimeSpan.FromSeconds(run.TotalRunTime) : null;
        return span is { } s ? Format(s) : null;
    }

    public static string Format(TimeSpan span) =>
        span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes:00}m")
        : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m {span.Seconds:00}s")
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)Math.Round(span.TotalSeconds))}s");

    /// <summary><paramref name="head"/>, then <c>: message</c> on one line, cut with … to <see cref="MaxDescription"/>.</summary>
    public static string Fit(string head, string? message)
    {
        ArgumentNullException.ThrowIfNull(head);
        var oneLine = OneLine(message);
        return Fit(oneLine.Length == 0 ? head : $"{head}: {oneLine}");
    }

    /// <summary>The one description limit every status post keeps: <paramref name="text"/> cut with … to <see cref="MaxDescription"/>.</summary>
    public static string Fit(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= MaxDescription ? text : text[..(MaxDescription - 1)] + "…";
    }

    private static string OneLine(string? text) => string.Join(' ', (text ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
