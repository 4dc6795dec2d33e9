using System.Globalization;

namespace Bridge.Benchmarks.Faults;

/// <summary>One scenario's rows of the table (figure and value as printed), and the figures the test checks by name.</summary>
internal sealed class ScenarioResult(string scenario)
{
    readonly List<(string Figure, string Value)> rows = [];
    readonly Dictionary<string, double> figures = new(StringComparer.Ordinal);

    public string Scenario { get; } = scenario;

    public IReadOnlyList<(string Figure, string Value)> Rows => rows;

    /// <summary>The numbers by figure name, for the test's invariants.</summary>
    public IReadOnlyDictionary<string, double> Figures => figures;

    public string? Failure { get; private set; }

    public ScenarioResult Add(string figure, double value, string format = "N0")
    {
        figures[figure] = value;
        rows.Add((figure, value.ToString(format, CultureInfo.InvariantCulture)));
        return this;
    }

    /// <summary>A figure the test checks that has no row of its own (another row shows it).</summary>
    public ScenarioResult Record(string figure, double value)
    {
        figures[figure] = value;
        return this;
    }

    public ScenarioResult Add(string figure, string value)
    {
        rows.Add((figure, value));
        return this;
    }

    /// <summary>Seconds, or "—" with <paramref name="absent"/> when it did not happen.</summary>
    public ScenarioResult AddSeconds(string figure, TimeSpan? value, string absent)
    {
        if (value is { } seconds)
        {
            return Add(figure, seconds.TotalSeconds, "0.0");
        }

        return Add(figure, $"— ({absent})");
    }

    /// <summary>The rows every event scenario prints, from its <see cref="Outcome"/>.</summary>
    public ScenarioResult AddOutcome(Outcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Add("events published", outcome.Published)
            .Add("events lost", outcome.Lost)
            .Add("events in _error", outcome.InError)
            .Add("events still queued", outcome.Queued)
            .Add("duplicate flow runs", outcome.DuplicateRuns)
            .Add("runs ended", outcome.RunsEnded)
            .Add("final statuses posted and last on their commit", outcome.FinalLast)
            .Add("duplicate final-status posts", outcome.DuplicateFinalPosts)
            .Add("INPROGRESS posted after the final status", outcome.InProgressAfterFinal)
            .Add("commits left INPROGRESS after their run ended", outcome.EndsInProgress)
            .Add("watermark writes", outcome.WatermarkWrites)
            .Add("watermark moved backward", outcome.WatermarkBackward);
        if (outcome.WatermarkBackward > 0)
        {
            Add("watermark's largest step back (s)", outcome.WatermarkLargestStepBack.TotalSeconds, "0.000");
        }

        return this;
    }

    public ScenarioResult Fail(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Failure = $"{e.GetType().Name}: {e.Message}";
        rows.Add(("scenario failed", Failure.ReplaceLineEndings(" ")));
        return this;
    }
}
