using System.Globalization;
using Bridge.Sandbox.Emulators;

namespace Bridge.Benchmarks.Faults.Scenarios;

/// <summary>
/// Three replicas; events published at a steady rate; at even points of the run one replica is killed with SIGKILL
/// (the lease holder first and every other time, else one that does not hold it) and started again at once. The time to
/// take over runs from the holder's kill to the next "correlates now" line of another replica, and to the first final
/// status posted after the kill. A new holder checks on the commit the runs that ended before its tenure: Bitbucket's
/// status reads from the first holder's kill on are counted, and the replicas' "not posted again" lines.
/// </summary>
internal sealed class KillScenario(FaultContext context)
{
    static readonly TimeSpan TakeoverDeadline = TimeSpan.FromSeconds(60);

    readonly List<Task<(TimeSpan? Lease, TimeSpan? FirstFinal)>> takeovers = [];
    int kills;
    int? readsBeforeTakeover;

    public async Task<ScenarioResult> RunAsync()
    {
        var options = context.Options;
        var result = new ScenarioResult(string.Create(CultureInfo.InvariantCulture, $"kill -9 ×{options.Kills} during {options.Events:N0} events, 3 replicas"));
        await using var stack = await FaultStack.StartAsync(context, "kill");
        using var finals = new FinalStatusClock(stack.Bitbucket);
        try
        {
            await stack.StartReplicasAsync(3);
            var events = stack.Issue(options.Events);
            var plan = new Dictionary<int, Func<Task>>();
            for (var k = 1; k <= options.Kills; k++)
            {
                var killHolder = k % 2 == 1;
                plan[options.Events * k / (options.Kills + 1)] = () => KillAsync(stack, finals, killHolder);
            }

            await context.Progress.WriteLineAsync($"kill: publishing {events.Count} events at {options.Rate:0}/s");
            await EventPublisher.PublishPacedAsync(stack.Broker, stack.Queue, events, options.Rate, plan);
            var outcome = await stack.SettleAsync(events);
            var measured = await Task.WhenAll(takeovers);
            result.AddOutcome(outcome);
            result.Add("replicas killed", kills);
            for (var i = 0; i < measured.Length; i++)
            {
                result.AddSeconds($"lease holder killed ({i + 1}): time to take over, to the next \"correlates now\" (s)", measured[i].Lease, "no other replica took over");
                result.AddSeconds($"lease holder killed ({i + 1}): kill → the new holder's first final status (s)", measured[i].FirstFinal, "none posted");
            }

            if (measured.Length > 0)
            {
                result.Add("longest takeover (s)", measured.Max(t => t.Lease ?? TimeSpan.FromDays(1)).TotalSeconds, "0.0");
            }

            var reads = stack.Bitbucket.CallCount(BitbucketEndpoints.GetBuildStatus);
            result.Add("commit status reads by new holders (GET …/statuses/build/{key} after the first holder's kill)", reads - (readsBeforeTakeover ?? reads));
            result.Add("commit status reads before the first holder's kill", readsBeforeTakeover ?? reads);
            result.Add("final statuses found already on their commit, not posted again", stack.Replicas.Sum(r => r.FoundOnCommit));
            result.Add("replicas that exited on their own", stack.Replicas.Count(r => r.HasExited) - kills);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            result.Fail(e);
        }

        return result;
    }

    async Task KillAsync(FaultStack stack, FinalStatusClock finals, bool killHolder)
    {
        var holder = stack.Holder;
        var victim = killHolder ? holder : stack.Running.FirstOrDefault(r => r != holder);
        if (victim is null)
        {
            await context.Progress.WriteLineAsync("kill: no replica to kill (no lease holder known)");
            return;
        }

        var killedAt = DateTimeOffset.UtcNow;
        if (victim == holder)
        {
            readsBeforeTakeover ??= stack.Bitbucket.CallCount(BitbucketEndpoints.GetBuildStatus);
        }

        await victim.KillAsync();
        kills++;
        await context.Progress.WriteLineAsync($"kill: killed {victim.Name} (pid {victim.Pid}{(victim == holder ? ", the lease holder" : "")}); starting another");
        stack.StartReplica();
        if (victim == holder)
        {
            takeovers.Add(MeasureTakeoverAsync(stack, finals, killedAt));
        }
    }

    /// <summary>Waits, alongside the load, for the next holder's line and the first final status after the kill.</summary>
    static async Task<(TimeSpan?, TimeSpan?)> MeasureTakeoverAsync(FaultStack stack, FinalStatusClock finals, DateTimeOffset killedAt)
    {
        DateTimeOffset? Gained() => stack.Replicas.Select(r => r.GainedSince(killedAt)).Where(t => t is not null).Min();
        // Only the holder posts final statuses: the first one after the new holder's line is its own.
        DateTimeOffset? FirstFinal() => Gained() is { } gained ? finals.FirstSince(gained) : null;
        try
        {
            await stack.WaitAsync(() => Task.FromResult(FirstFinal() is not null), TakeoverDeadline, "another replica correlates and posts a final status");
        }
        catch (TimeoutException)
        {
            // Reported as absent.
        }

        return (Gained() - killedAt, FirstFinal() - killedAt);
    }
}
