using System.Diagnostics;
using Bridge.Benchmarks.Processes;
using Bridge.Benchmarks.Report;
using Bridge.Benchmarks.Upstream;
using Bridge.Benchmarks.Workload;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;

namespace Bridge.Benchmarks;

/// <summary>The phases of a round: a drain of pre-queued events by one contender, and the latency at a steady rate.</summary>
internal sealed class BenchPhases(RabbitMqBroker broker, FakeUpstream upstream, BenchWorkspace workspace, Contenders contenders, string queue)
{
    static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    readonly Publisher publisher = new(broker, queue);

    public Task<DrainResult> DrainBridgeAsync(int events) => DrainAsync("bridge", contenders.StartWorker, events);

    public Task<DrainResult> DrainFloorAsync(int events) => DrainAsync("floor", contenders.StartFloor, events);

    async Task<DrainResult> DrainAsync(string name, Func<ChildProcess> start, int count)
    {
        var events = workspace.Issue(count);
        await publisher.PublishAllAsync(events);
        var brokerPids = broker.ProcessIds();
        ChildProcess? process = null;
        CpuSample? first = null, last = null;
        // The callbacks run on the fake's request threads, at the first event call and at the last INPROGRESS.
        upstream.Log.Begin(
            count,
            atFirstEventCall: () => first = CpuSample.Take(process!.Pid, brokerPids),
            atLastInProgress: () => last = CpuSample.Take(process!.Pid, brokerPids));
        process = start();
        using (process)
        {
            var bound = await WaitBoundAsync(process);
            await WaitForInProgressAsync(process, count);
            var peak = ProcStats.PeakResidentMegabytes(process.Pid);
            var seconds = Stopwatch.GetElapsedTime(upstream.Log.FirstEventCall, upstream.Log.LastInProgress).TotalSeconds;
            var result = new DrainResult(
                name, count, upstream.Log.InProgressCount, seconds, last!.ContenderMs - first!.ContenderMs, last.BrokerMs - first.BrokerMs,
                bound, peak, new Dictionary<string, long>(upstream.Log.Calls));
            await StopAsync(process);
            return result;
        }
    }

    /// <summary>
    /// A fresh worker, idle; then a warm-up of a tenth of <paramref name="count"/> events (its first events pay for JIT
    /// and new connections, which is not the steady state); then <paramref name="count"/> events at <paramref name="rate"/>
    /// per second.
    /// </summary>
    public async Task<LatencyResult> LatencyAsync(int count, double rate)
    {
        var warmUp = workspace.Issue(Math.Max(count / 10, 20));
        var events = workspace.Issue(count);
        upstream.Log.Begin(warmUp.Count);
        using var worker = contenders.StartWorker();
        var bound = await WaitBoundAsync(worker);
        // Idle: bound, and the listener on Prefect's event stream connected (the last thing the worker starts).
        await Eventually.WaitAsync(
            () => Task.FromResult(upstream.Log.Calls.ContainsKey(UpstreamEndpoints.EventStream) || worker.HasExited),
            StartDeadline, "the worker connected to the event stream", TimeSpan.FromMilliseconds(10));
        var idle = ProcStats.ResidentMegabytes(worker.Pid);
        await publisher.PublishAllAsync(warmUp);
        await WaitForInProgressAsync(worker, warmUp.Count);

        upstream.Log.Begin(count);
        var allocatedBefore = await RuntimeCounters.TotalAllocatedBytesAsync(worker);
        var (published, achieved) = await publisher.PublishPacedAsync(events, rate);
        await WaitForInProgressAsync(worker, count);
        var allocatedKb = (await RuntimeCounters.TotalAllocatedBytesAsync(worker) - allocatedBefore) / 1024.0 / count;
        var arrived = upstream.Log.InProgressByCommit;
        var latencies = published.Select(p => Stopwatch.GetElapsedTime(p.Value, arrived[p.Key]).TotalMilliseconds).Order().ToArray();
        await StopAsync(worker);
        return new LatencyResult(
            count, arrived.Count, rate, achieved, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1], bound, idle, allocatedKb);
    }

    /// <summary>How long each run of the completion phase runs before it is told Completed.</summary>
    public static readonly TimeSpan RunLength = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A fresh worker; <paramref name="count"/> events at <paramref name="rate"/> per second, each run ending
    /// <see cref="RunLength"/> after it was created: run ended → final status, and the calls per event over it all
    /// (start-up included).
    /// </summary>
    public async Task<CompletionResult> CompletionAsync(int count, double rate)
    {
        var events = workspace.Issue(count);
        upstream.Log.Begin(count);
        upstream.RunEnds.Begin(count, RunLength);
        try
        {
            using var worker = contenders.StartWorker();
            await WaitBoundAsync(worker);
            await Eventually.WaitAsync(
                () => Task.FromResult(upstream.RunEnds.Listeners > 0 || worker.HasExited),
                StartDeadline, "the worker listens to the event stream", TimeSpan.FromMilliseconds(10));
            var (_, achieved) = await publisher.PublishPacedAsync(events, rate);
            try
            {
                await upstream.RunEnds.WaitAsync(TimeSpan.FromSeconds(60 + (count / 50.0)));
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}\n{worker.LogFile}:\n{worker.LogTail()}", e);
            }

            var (ended, finals) = (upstream.RunEnds.EndedByCommit, upstream.RunEnds.FinalByCommit);
            var latencies = finals.Select(f => Stopwatch.GetElapsedTime(ended[f.Key], f.Value).TotalMilliseconds).Order().ToArray();
            var calls = upstream.Log.Calls;
            double PerEvent(string prefix) => calls.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(c => c.Value) / (double)count;
            var result = new CompletionResult(
                count, finals.Count, achieved, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1],
                PerEvent("prefect"), PerEvent("bitbucket"));
            await StopAsync(worker);
            return result;
        }
        finally
        {
            upstream.RunEnds.Stop();
        }
    }

    /// <summary>Process start → a consumer on the queue (polled every 5 ms), in seconds.</summary>
    async Task<double> WaitBoundAsync(ChildProcess process)
    {
        await Eventually.WaitAsync(
            async () => process.HasExited || await broker.ConsumerCountAsync(queue) > 0,
            StartDeadline, $"a consumer was bound on {queue}", TimeSpan.FromMilliseconds(5));
        var bound = Stopwatch.GetElapsedTime(process.Started).TotalSeconds;
        return process.HasExited
            ? throw new InvalidOperationException($"{process.LogFile}: the process exited before it consumed:\n{process.LogTail()}")
            : bound;
    }

    async Task WaitForInProgressAsync(ChildProcess process, int count)
    {
        try
        {
            await upstream.Log.WaitForInProgressAsync(TimeSpan.FromSeconds(60 + (count / 50.0)));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{process.LogFile}:\n{process.LogTail()}", e);
        }
    }

    /// <summary>Kills the contender, waits until the broker saw its consumer go, and empties the queue for the next phase.</summary>
    async Task StopAsync(ChildProcess process)
    {
        process.Dispose();
        await Eventually.WaitAsync(async () => await broker.ConsumerCountAsync(queue) == 0, StartDeadline, $"no consumer was left on {queue}");
        await broker.PurgeAsync(queue);
    }

    /// <summary>Nearest rank.</summary>
    static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
