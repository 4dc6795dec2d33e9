using System.Globalization;

namespace Bridge.Benchmarks.Faults.Scenarios;

/// <summary>
/// Three replicas; halfway through the load the lease holder gets SIGTERM (a container stop) and is not started again:
/// its in-flight events must finish or go back to the queue within 30 s, and none may be lost.
/// </summary>
internal sealed class SigtermScenario(FaultContext context)
{
    static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(30);

    Task stopping = Task.CompletedTask;

    public async Task<ScenarioResult> RunAsync()
    {
        var options = context.Options;
        var result = new ScenarioResult(string.Create(CultureInfo.InvariantCulture, $"SIGTERM to the lease holder during {options.StormEvents:N0} events, 3 replicas"));
        await using var stack = await FaultStack.StartAsync(context, "sigterm");
        try
        {
            await stack.StartReplicasAsync(3);
            var events = stack.Issue(options.StormEvents);
            TimeSpan? stopped = null;
            int? exitCode = null;
            var plan = new Dictionary<int, Func<Task>>
            {
                [events.Count / 2] = async () =>
                {
                    var victim = stack.Holder ?? stack.Running.First();
                    await context.Progress.WriteLineAsync($"sigterm: SIGTERM to {victim.Name} (pid {victim.Pid})");
                    // Not awaited here: the load goes on while it stops.
                    stopping = Task.Run(async () =>
                    {
                        stopped = await victim.TerminateAsync(StopLimit);
                        exitCode = victim.ExitCode;
                    });
                },
            };
            await EventPublisher.PublishPacedAsync(stack.Broker, stack.Queue, events, options.Rate, plan);
            await stopping;
            var outcome = await stack.SettleAsync(events);
            result.AddSeconds("SIGTERM → process exited (s)", stopped, "still running after 30 s");
            result.Add("its exit code", exitCode?.ToString(CultureInfo.InvariantCulture) ?? "—");
            result.AddOutcome(outcome);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            result.Fail(e);
        }

        return result;
    }
}
