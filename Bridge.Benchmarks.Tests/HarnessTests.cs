using Bridge.Benchmarks.Report;
using Bridge.Benchmarks.Upstream;

namespace Bridge.Benchmarks.Tests;

/// <summary>
/// The harness end to end on a few hundred events and one round (the worker built beside the tests, not published):
/// every event got its INPROGRESS, the calls per event are the ones Bridge and the floor make, the table is printed.
/// </summary>
public sealed class HarnessTests
{
    const int Events = 200;

    [Fact]
    public async Task A_small_run_prints_the_table_and_every_event_got_its_INPROGRESS()
    {
        var options = new BenchOptions { Events = Events, Rounds = 1, Worker = Path.Combine(AppContext.BaseDirectory, "bridge.dll") };

        var report = await Harness.RunAsync(options, TextWriter.Null);

        var round = Assert.Single(report.Rounds);
        Assert.Equal(Events, round.Bridge.InProgress);
        Assert.Equal(Events, round.Floor.InProgress);
        Assert.Equal(Events, round.Latency.InProgress);
        Assert.Equal(Events, round.Completion.Finals);
        // Read from the worker's /metrics around the paced events: each event allocates something.
        Assert.True(round.Latency.AllocatedKbPerEvent > 0, $"allocations per event: {round.Latency.AllocatedKbPerEvent} KB");
        foreach (var drain in new[] { round.Bridge, round.Floor })
        {
            Assert.Equal(1.0, drain.CallsPerEvent(UpstreamEndpoints.PipelineRead));
            Assert.Equal(1.0, drain.CallsPerEvent(UpstreamEndpoints.CreateFlowRun));
            Assert.Equal(1.0, drain.CallsPerEvent(UpstreamEndpoints.StatusPost));
            Assert.DoesNotContain(drain.Calls.Keys, endpoint => endpoint.StartsWith("other", StringComparison.Ordinal));
        }

        // The deployment is looked up once, or once per event processed at once before the first answer was cached.
        Assert.InRange(round.Bridge.Calls[UpstreamEndpoints.DeploymentByName], 1, 8);
        Assert.Equal(1, round.Floor.Calls[UpstreamEndpoints.DeploymentByName]);
        Assert.Equal(1, round.Bridge.Calls[UpstreamEndpoints.Keys]);
    }

    [Fact]
    public void The_table_has_a_row_per_figure_with_min_median_and_max()
    {
        var options = new BenchOptions { Events = 10, Rounds = 2 };
        var calls = new Dictionary<string, long> { [UpstreamEndpoints.PipelineRead] = 10, [UpstreamEndpoints.StatusPost] = 10 };
        RoundResult Round(int n, double seconds) => new(
            n,
            new DrainResult("bridge", 10, 10, seconds, 10, 5, 1.2, 120, calls),
            new DrainResult("floor", 10, 10, seconds / 2, 3, 5, 0.3, 40, calls),
            new LatencyResult(10, 10, 5, 5, 2, 9, 10, 1.1, 100, 42.5),
            new CompletionResult(10, 10, 5, 3, 12, 20, 1.1, 2.0));

        var table = BenchTable.Render(options, [Round(1, 0.01), Round(2, 0.02)], "2 cores");

        Assert.Contains(BenchTable.Header, table, StringComparison.Ordinal);
        Assert.Contains("| drain of 10 pre-queued events, Bridge at default settings (events/s) | 500 | 750 | 1,000 |", table, StringComparison.Ordinal);
        Assert.Contains("| Bridge / queue floor, pair by pair | 0.50 | 0.50 | 0.50 |", table, StringComparison.Ordinal);
        Assert.Contains("| Bridge calls per event: bitbucket GET pipeline | 1.000 | 1.000 | 1.000 |", table, StringComparison.Ordinal);
        Assert.Contains("| run ended → final status through the event stream, p99 (ms) | 12.0 | 12.0 | 12.0 |", table, StringComparison.Ordinal);
        Assert.Contains("| worker allocations per event at that rate (KB) | 42.5 | 42.5 | 42.5 |", table, StringComparison.Ordinal);
    }
}
