using System.Globalization;
using System.Text;
using Bridge.Benchmarks.Upstream;

namespace Bridge.Benchmarks.Report;

/// <summary>The table scripts/bench prints: one figure a row, min / median / max over the rounds.</summary>
internal static class BenchTable
{
    public const string Header = "| figure | min | median | max |";

    /// <summary>The calls each event makes, shown per event.</summary>
    static readonly string[] PerEvent = [UpstreamEndpoints.PipelineRead, UpstreamEndpoints.CreateFlowRun, UpstreamEndpoints.StatusPost];

    /// <summary>The calls made once or a few times (start-up, caches, the poll), shown as counts over the drain.</summary>
    static readonly string[] PerDrain =
    [
        UpstreamEndpoints.DeploymentByName, UpstreamEndpoints.Discovery, UpstreamEndpoints.Keys, UpstreamEndpoints.Variables,
        UpstreamEndpoints.FlowRunFilter, UpstreamEndpoints.EventStream,
    ];

    public static string Render(BenchOptions options, IReadOnlyList<RoundResult> rounds, string machine)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rounds);
        var n = options.Events.ToString("N0", CultureInfo.InvariantCulture);
        var settings = options.Concurrency is { } c
            ? string.Create(CultureInfo.InvariantCulture, $"{c} at once, prefetch {2 * c}")
            : "default settings";
        var rows = new List<(string Figure, string Format, IEnumerable<double> Values)>
        {
            ($"drain of {n} pre-queued events, Bridge at {settings} (events/s)", "N0", rounds.Select(r => r.Bridge.EventsPerSecond)),
            ($"drain of {n} pre-queued events, queue floor (events/s)", "N0", rounds.Select(r => r.Floor.EventsPerSecond)),
            ("Bridge / queue floor, pair by pair", "0.00", rounds.Select(r => r.Ratio)),
            ("worker CPU per event over the drain (ms)", "0.00", rounds.Select(r => r.Bridge.ContenderCpuMsPerEvent)),
            ("queue floor CPU per event over its drain (ms)", "0.00", rounds.Select(r => r.Floor.ContenderCpuMsPerEvent)),
            ("broker CPU per event, Bridge's drain (ms)", "0.00", rounds.Select(r => r.Bridge.BrokerCpuMsPerEvent)),
            ("broker CPU per event, the floor's drain (ms)", "0.00", rounds.Select(r => r.Floor.BrokerCpuMsPerEvent)),
            ("steady publish rate, half the round's Bridge drain (events/s)", "N0", rounds.Select(r => r.Latency.AchievedRate)),
            ("publish → INPROGRESS p50 at that rate (ms)", "0.0", rounds.Select(r => r.Latency.P50Ms)),
            ("publish → INPROGRESS p99 at that rate (ms)", "0.0", rounds.Select(r => r.Latency.P99Ms)),
            ("publish → INPROGRESS max at that rate (ms)", "0.0", rounds.Select(r => r.Latency.MaxMs)),
            ("worker allocations per event at that rate (KB)", "0.0", rounds.Select(r => r.Latency.AllocatedKbPerEvent)),
            ("runs ending 100 ms after creation, at that rate (runs/s)", "N0", rounds.Select(r => r.Completion.AchievedRate)),
            ("run ended → final status through the event stream, p50 (ms)", "0.0", rounds.Select(r => r.Completion.P50Ms)),
            ("run ended → final status through the event stream, p99 (ms)", "0.0", rounds.Select(r => r.Completion.P99Ms)),
            ("run ended → final status through the event stream, max (ms)", "0.0", rounds.Select(r => r.Completion.MaxMs)),
            ("Prefect calls per event over its run's whole life (start-up included)", "0.000", rounds.Select(r => r.Completion.PrefectCallsPerEvent)),
            ("Bitbucket calls per event over its run's whole life (start-up included)", "0.000", rounds.Select(r => r.Completion.BitbucketCallsPerEvent)),
        };
        foreach (var endpoint in PerEvent)
        {
            rows.Add(($"Bridge calls per event: {endpoint}", "0.000", rounds.Select(r => r.Bridge.CallsPerEvent(endpoint))));
        }

        foreach (var endpoint in PerDrain.Concat(rounds.SelectMany(r => r.Bridge.Calls.Keys)).Distinct().Except(PerEvent))
        {
            rows.Add(($"Bridge calls in the whole drain (start-up included): {endpoint}", "N0",
                rounds.Select(r => (double)r.Bridge.Calls.GetValueOrDefault(endpoint))));
        }

        rows.Add(("Bridge calls per event, all upstream calls", "0.000", rounds.Select(r => r.Bridge.AllCallsPerEvent)));
        rows.Add(("queue floor calls per event, all upstream calls", "0.000", rounds.Select(r => r.Floor.AllCallsPerEvent)));
        rows.Add(("process start → consumer bound, empty queue (s)", "0.00", rounds.Select(r => r.Latency.StartToBoundSeconds)));
        rows.Add(("process start → consumer bound, queue full (s)", "0.00", rounds.Select(r => r.Bridge.StartToBoundSeconds)));
        rows.Add(("idle resident memory once started (MB)", "0", rounds.Select(r => r.Latency.IdleRssMb)));
        rows.Add(("peak resident memory, start and drain (MB)", "0", rounds.Select(r => r.Bridge.PeakRssMb)));

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Bridge benchmark: {n} events per phase, {rounds.Count} round(s); {machine}\n\n");
        text.Append(Header).Append('\n').Append("|---|---|---|---|\n");
        foreach (var (figure, format, values) in rows)
        {
            var sorted = values.Order().ToArray();
            text.Append(CultureInfo.InvariantCulture,
                $"| {figure} | {Format(sorted[0], format)} | {Format(Median(sorted), format)} | {Format(sorted[^1], format)} |\n");
        }

        text.Append("\nNot measured yet: run ended → final status through the poll.\n");
        return text.ToString();
    }

    static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

    static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
