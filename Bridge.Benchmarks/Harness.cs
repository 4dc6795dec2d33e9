using System.Globalization;
using Bridge.Benchmarks.Processes;
using Bridge.Benchmarks.Report;
using Bridge.Benchmarks.Upstream;
using Bridge.Benchmarks.Workload;
using Bridge.Tests.Infrastructure;

namespace Bridge.Benchmarks;

/// <summary>
/// The whole run: a private RabbitMQ node and a quorum queue, the fake upstream, then per round Bridge's drain and the
/// floor's (alternating which goes first), then the latency phase and the completion phase (runs that end) at half of
/// that round's Bridge drain rate.
/// </summary>
internal static class Harness
{
    public const string Queue = "bench-pipeline-events";

    public static Task<BenchReport> RunAsync(BenchOptions options, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        return LogFolder.UseAsync(options.Logs, "bridge-bench", logs => RunAsync(options, progress, logs));
    }

    static async Task<BenchReport> RunAsync(BenchOptions options, TextWriter progress, string logs)
    {
        var machine = LogFolder.Machine();
        await using var broker = await RabbitMqBroker.StartAsync();
        await broker.DeclareEventQueueAsync(Queue);
        var workspace = new BenchWorkspace();
        await using var upstream = await FakeUpstream.StartAsync(workspace);
        var phases = new BenchPhases(broker, upstream, workspace, new Contenders(options, broker, upstream, Queue, logs), Queue);
        await progress.WriteLineAsync($"bench: broker {broker.NodeName}, fake upstream {upstream.BaseUrl}, logs in {logs}");

        var rounds = new List<RoundResult>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            DrainResult bridge, floor;
            if (round % 2 == 1)
            {
                bridge = await Report(progress, round, await phases.DrainBridgeAsync(options.Events));
                floor = await Report(progress, round, await phases.DrainFloorAsync(options.Events));
            }
            else
            {
                floor = await Report(progress, round, await phases.DrainFloorAsync(options.Events));
                bridge = await Report(progress, round, await phases.DrainBridgeAsync(options.Events));
            }

            var latency = await phases.LatencyAsync(options.Events, bridge.EventsPerSecond / 2);
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: latency at {latency.AchievedRate:N0}/s: p50 {latency.P50Ms:0.0} ms, p99 {latency.P99Ms:0.0} ms"));
            var completion = await phases.CompletionAsync(options.Events, bridge.EventsPerSecond / 2);
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: run ended → final status at {completion.AchievedRate:N0}/s: p50 {completion.P50Ms:0.0} ms, p99 {completion.P99Ms:0.0} ms"));
            rounds.Add(new RoundResult(round, bridge, floor, latency, completion));
        }

        return new BenchReport(rounds, BenchTable.Render(options, rounds, machine));
    }

    static async Task<DrainResult> Report(TextWriter progress, int round, DrainResult drain)
    {
        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"round {round}: {drain.Contender} drained {drain.Events} in {drain.Seconds:0.00} s ({drain.EventsPerSecond:N0}/s, {drain.ContenderCpuMsPerEvent:0.00} ms CPU per event)"));
        return drain;
    }
}
