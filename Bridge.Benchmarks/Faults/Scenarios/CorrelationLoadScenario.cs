using System.Diagnostics;
using Bridge.Sandbox.Emulators;

namespace Bridge.Benchmarks.Faults.Scenarios;

/// <summary>
/// The same steady load (5 events/s for <c>--load-seconds</c>) on one replica and then on three; the calls of the
/// correlation paths (Prefect's: the poll's flow_runs/filter, flow run reads, labels PATCH, the watermark variable,
/// event-stream connects; Bitbucket's commit status reads) are counted from the load's start to 15 s after it,
/// start-up excluded, and given per minute.
/// </summary>
internal sealed class CorrelationLoadScenario(FaultContext context)
{
    const double Rate = 5;

    static readonly (string Path, string[] Endpoints)[] Paths =
    [
        ("POST flow_runs/filter", [PrefectEndpoints.FilterFlowRuns]),
        ("GET flow_runs/{id}", [PrefectEndpoints.ReadFlowRun]),
        ("PATCH flow_runs/{id}/labels", [PrefectEndpoints.UpdateFlowRunLabels]),
        ("variables (read, create, update)", [PrefectEndpoints.ReadVariableByName, PrefectEndpoints.CreateVariable, PrefectEndpoints.UpdateVariableByName]),
    ];

    public async Task<CorrelationLoad> RunAsync()
    {
        var seconds = context.Options.LoadSeconds;
        var events = (int)(seconds * Rate);
        try
        {
            var one = await MeasureAsync(1, events, seconds);
            var three = await MeasureAsync(3, events, seconds);
            return new CorrelationLoad(events, seconds, [.. one.Zip(three, (a, b) => (a.Path, a.PerMinute, b.PerMinute))], null);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            return new CorrelationLoad(events, seconds, [], $"{e.GetType().Name}: {e.Message}");
        }
    }

    async Task<IReadOnlyList<(string Path, double PerMinute)>> MeasureAsync(int replicas, int count, int seconds)
    {
        await using var stack = await FaultStack.StartAsync(context, $"load{replicas}");
        await stack.StartReplicasAsync(replicas);
        var events = stack.Issue(count);
        var before = stack.Prefect.CallCounts;
        var readsBefore = stack.Bitbucket.CallCount(BitbucketEndpoints.GetBuildStatus);
        var streamsBefore = stack.Prefect.EventStreams.Accepted;
        await context.Progress.WriteLineAsync($"load: {count} events at {Rate}/s on {replicas} replica(s)");
        var clock = Stopwatch.StartNew();
        await EventPublisher.PublishPacedAsync(stack.Broker, stack.Queue, events, Rate);
        var end = TimeSpan.FromSeconds(seconds + CorrelationWindow.Settle);
        if (clock.Elapsed < end)
        {
            // The counting window is a fixed length, the same for both runs (a clock, not a condition).
            await Task.Delay(end - clock.Elapsed);
        }

        var after = stack.Prefect.CallCounts;
        var reads = stack.Bitbucket.CallCount(BitbucketEndpoints.GetBuildStatus) - readsBefore;
        var minutes = clock.Elapsed.TotalMinutes;
        var outcome = await stack.OutcomeAsync(events);
        await context.Progress.WriteLineAsync($"load: {replicas} replica(s): {outcome.FinalLast}/{outcome.Published} final statuses posted in the window");
        int Delta(string endpoint) => after.GetValueOrDefault(endpoint) - before.GetValueOrDefault(endpoint);
        return
        [
            .. Paths.Select(p => (p.Path, p.Endpoints.Sum(Delta) / minutes)),
            ("events websocket connects", (stack.Prefect.EventStreams.Accepted - streamsBefore) / minutes),
            ("Bitbucket: GET …/statuses/build/{key}", reads / minutes),
        ];
    }
}
