using System.Diagnostics;
using System.Globalization;

namespace Bridge.Benchmarks.Faults.Scenarios;

/// <summary>
/// Three replicas; after 40% of the events the broker is stopped (every connection drops; its durable queues and
/// persistent messages stay on disk), started again on the same ports, and the rest are published.
/// </summary>
internal sealed class BrokerRestartScenario(FaultContext context)
{
    public async Task<ScenarioResult> RunAsync()
    {
        var options = context.Options;
        var result = new ScenarioResult(string.Create(CultureInfo.InvariantCulture, $"broker stopped and started during {options.StormEvents:N0} events, 3 replicas"));
        await using var stack = await FaultStack.StartAsync(context, "broker");
        try
        {
            await stack.StartReplicasAsync(3);
            var events = stack.Issue(options.StormEvents);
            var before = events.Count * 2 / 5;
            await EventPublisher.PublishPacedAsync(stack.Broker, stack.Queue, events.Take(before).ToList(), options.Rate);

            await context.Progress.WriteLineAsync("broker: stopping the broker");
            var down = Stopwatch.StartNew();
            await stack.Broker.StopAsync();
            await stack.Broker.StartAgainAsync();
            var downFor = down.Elapsed;
            var back = DateTimeOffset.UtcNow;
            var runsBefore = stack.Prefect.FlowRuns.Count;
            await context.Progress.WriteLineAsync($"broker: back after {downFor.TotalSeconds:0.0} s; publishing the rest");

            TimeSpan? consuming = null;
            var watch = Task.Run(async () =>
            {
                await stack.WaitAsync(async () => await stack.Broker.ConsumerCountAsync(stack.Queue) >= 3, TimeSpan.FromSeconds(120), "3 replicas consume again");
                consuming = down.Elapsed;
            });
            await EventPublisher.PublishPacedAsync(stack.Broker, stack.Queue, events.Skip(before).ToList(), options.Rate);
            await watch;
            var outcome = await stack.SettleAsync(events);
            var firstRun = stack.Prefect.FlowRuns.Skip(runsBefore).Select(r => (DateTimeOffset?)r.Created).FirstOrDefault();
            var lease = stack.Replicas.Select(r => r.GainedSince(back)).Where(t => t is not null).Min();

            result.Add("broker down (stop → accepting connections again) (s)", downFor.TotalSeconds, "0.0");
            result.AddSeconds("broker stopped → 3 replicas consuming again (s)", consuming, "not within 120 s");
            result.AddSeconds("broker back → first flow run created (s)", firstRun - back, "none");
            result.AddSeconds("broker back → a replica correlates again (s)", lease - back, "none said so");
            result.AddOutcome(outcome);
            result.Add("replicas that exited", stack.Replicas.Count(r => r.HasExited));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            result.Fail(e);
        }

        return result;
    }
}
