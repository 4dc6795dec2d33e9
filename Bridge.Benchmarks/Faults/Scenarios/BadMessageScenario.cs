using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Bridge.Benchmarks.Faults.Scenarios;

/// <summary>
/// Three replicas; malformed and mutated messages (<see cref="BadMessages"/>) published raw to the queue while each
/// replica's <c>/health/ready</c> is sampled every 250 ms. Counted: replicas that exited, flow runs started, where the
/// messages went, and dead letters that carry no reason (neither Bridge's headers nor the broker's).
/// </summary>
internal sealed class BadMessageScenario(FaultContext context)
{
    static readonly string[] ReasonHeaders = ["Bridge-Failure-Reason", "Bridge-Reject-Reason", "x-first-death-reason"];

    public async Task<ScenarioResult> RunAsync()
    {
        var options = context.Options;
        var result = new ScenarioResult(string.Create(CultureInfo.InvariantCulture, $"{options.BadMessages:N0} malformed or mutated messages, 3 replicas"));
        await using var stack = await FaultStack.StartAsync(context, "bad");
        try
        {
            await stack.StartReplicasAsync(3);
            var generator = new BadMessages(context.Workspace, stack.RecordPipeline, options.Seed);
            await context.Progress.WriteLineAsync($"bad: making {options.BadMessages:N0} messages");
            var messages = Enumerable.Range(0, options.BadMessages).Select(generator.Next).ToList();

            using var sampling = new CancellationTokenSource();
            var samples = stack.Replicas.Select(r => SampleReadinessAsync(r, sampling.Token)).ToList();
            var clock = Stopwatch.StartNew();
            await context.Progress.WriteLineAsync($"bad: publishing {messages.Count:N0} messages ({messages.Sum(m => (long)m.Body.Length) / 1024 / 1024:N0} MB)");
            await EventPublisher.PublishAllAsync(stack.Broker, stack.Queue, messages);
            var handled = await WaitUntilHandledAsync(stack, TimeSpan.FromSeconds(Math.Max(120, options.BadMessages / 20)));
            var seconds = clock.Elapsed.TotalSeconds;
            await sampling.CancelAsync();
            var readiness = await Task.WhenAll(samples);

            var error = await stack.Broker.MessageCountAsync(stack.Queue + "_error");
            var skipped = await stack.Broker.MessageCountAsync(stack.Queue + "_skipped");
            var queued = await stack.Broker.MessageCountAsync(stack.Queue);
            var kinds = messages.GroupBy(m => Convert.ToBase64String(SHA256.HashData(m.Body))).ToDictionary(g => g.Key, g => g.First().Kind);
            var deadLetters = await EventPublisher.DrainAsync(stack.Broker, stack.Queue + "_error");
            var unexplained = deadLetters.Where(d => !ReasonHeaders.Any(d.Headers.ContainsKey)).ToList();
            var withoutReason = unexplained.Select(d => kinds.GetValueOrDefault(Convert.ToBase64String(SHA256.HashData(d.Body)), -1)).ToList();
            var theirFaults = string.Join("; ", unexplained
                .GroupBy(d => d.Headers.TryGetValue("MT-Fault-ExceptionType", out var type) ? type : d.Headers.GetValueOrDefault("MT-Reason", "no fault header"))
                .OrderByDescending(g => g.Count()).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count():N0}")));
            var dead = deadLetters.Select(d => Convert.ToBase64String(SHA256.HashData(d.Body))).ToHashSet(StringComparer.Ordinal);
            var acknowledged = messages.Where(m => !dead.Contains(Convert.ToBase64String(SHA256.HashData(m.Body)))).Select(m => m.Kind).ToList();
            var commits = messages.GroupBy(m => m.Commit).ToDictionary(g => g.Key, g => g.First().Kind);
            var runs = stack.Prefect.FlowRuns.Select(r => commits.GetValueOrDefault(r.Labels["bridge.commit"]?.GetValue<string>() ?? "", -1)).ToList();

            result.Add("replicas that crashed (exited)", stack.Replicas.Count(r => r.HasExited));
            result.Add("flow runs started", runs.Count);
            result.Add("flow runs started, by kind of message", ByKind(runs));
            result.Add("commit statuses posted", stack.Bitbucket.PostCalls.Count);
            result.Add("messages in _error", error);
            result.Add("messages in _error without a reason header", withoutReason.Count);
            result.Add("messages in _error without a reason header, by kind", ByKind(withoutReason));
            result.Add("what MassTransit's headers say of those", theirFaults.Length == 0 ? "none" : theirFaults);
            result.Add("their content types", string.Join("; ", unexplained.GroupBy(d => d.ContentType ?? "none").OrderByDescending(g => g.Count())
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count():N0}"))));
            result.Add("messages in _skipped", skipped);
            result.Add("messages still queued", queued);
            result.Add("messages acknowledged without a dead letter", Math.Max(0, messages.Count - (long)error - skipped - queued));
            result.Add("messages acknowledged without a dead letter, by kind", ByKind(acknowledged));
            result.Add("/health/ready samples not ready (of all samples)", string.Create(CultureInfo.InvariantCulture,
                $"{readiness.Sum(r => r.NotReady):N0} of {readiness.Sum(r => r.Samples):N0}"));
            result.Record("not ready", readiness.Sum(r => r.NotReady));
            result.Add("stayed ready", readiness.All(r => r.NotReady == 0) ? "yes" : "no");
            result.AddSeconds("publish → every message handled (s)", handled ? TimeSpan.FromSeconds(seconds) : null, "not within the deadline");
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            result.Fail(e);
        }

        return result;
    }

    /// <summary>"none", or the count of each kind of message (<see cref="BadMessages.KindName"/>) that did it.</summary>
    static string ByKind(IReadOnlyList<int> kinds) => kinds.Count == 0
        ? "none"
        : string.Join("; ", kinds.GroupBy(k => k).OrderBy(g => g.Key).Select(g =>
            string.Create(CultureInfo.InvariantCulture, $"{(g.Key < 0 ? "unknown" : BadMessages.KindName(g.Key))} {g.Count():N0}")));

    /// <summary>
    /// Until the queue holds nothing, neither ready nor unacknowledged (as the management plugin samples it), and its
    /// dead-letter queues have not grown for ten seconds (twice the plugin's sampling); false at the deadline.
    /// </summary>
    static async Task<bool> WaitUntilHandledAsync(FaultStack stack, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        var last = (Held: long.MaxValue, Dead: uint.MaxValue);
        var since = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            var depth = await stack.Broker.Management.QueueDepthAsync(stack.Queue);
            var now = (depth is { } d ? d.Ready + d.Unacknowledged : long.MaxValue,
                await stack.Broker.MessageCountAsync(stack.Queue + "_error") + await stack.Broker.MessageCountAsync(stack.Queue + "_skipped"));
            if (now != last)
            {
                (last, since) = (now, Stopwatch.StartNew());
            }
            else if (now.Item1 == 0 && await stack.Broker.MessageCountAsync(stack.Queue) == 0 && since.Elapsed > TimeSpan.FromSeconds(10))
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        return false;
    }

    static async Task<(int Samples, int NotReady)> SampleReadinessAsync(Replica replica, CancellationToken stop)
    {
        var (samples, notReady) = (0, 0);
        while (!stop.IsCancellationRequested)
        {
            samples++;
            if (!await replica.IsReadyAsync())
            {
                notReady++;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return (samples, notReady);
    }
}
