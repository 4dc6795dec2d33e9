using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Bridge.Benchmarks.Upstream;

/// <summary>
/// Prefect's workers, for the completion phase: each run created while a phase is on goes Running and then Completed
/// <c>endAfter</c> later, told on every open event stream as Prefect tells it (the run as resource with its state,
/// its tags as related resources); the moment each commit's run ended and the moment its SUCCESSFUL status arrived
/// are kept. Off, created runs never end (the drains and the latency phase).
/// </summary>
internal sealed class RunEnds
{
    const string StatusTagPrefix = "bridge-status:";
    readonly ConcurrentDictionary<Channel<byte[]>, byte> listeners = new();
    readonly ConcurrentDictionary<string, long> ended = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, long> finals = new(StringComparer.Ordinal);
    Phase? phase;

    public bool IsOn => Volatile.Read(ref phase) is not null;

    public int Listeners => listeners.Count;

    /// <summary>When each commit's run was told Completed (Stopwatch timestamp).</summary>
    public IReadOnlyDictionary<string, long> EndedByCommit => ended;

    /// <summary>When each commit's SUCCESSFUL status arrived (Stopwatch timestamp).</summary>
    public IReadOnlyDictionary<string, long> FinalByCommit => finals;

    public void Begin(int expected, TimeSpan endAfter)
    {
        ended.Clear();
        finals.Clear();
        Volatile.Write(ref phase, new Phase(expected, endAfter));
    }

    public void Stop() => Volatile.Write(ref phase, null);

    /// <summary>An event stream's outbox, from its filter on until <see cref="Unlisten"/>.</summary>
    public Channel<byte[]> Listen()
    {
        var outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        listeners[outbox] = 0;
        return outbox;
    }

    public void Unlisten(Channel<byte[]> outbox) => listeners.TryRemove(outbox, out _);

    /// <summary>A run was created: while a phase is on, it ends later (its commit read from its status tag).</summary>
    public void Created(Guid run, IReadOnlyList<string> tags)
    {
        var current = Volatile.Read(ref phase);
        var status = tags.FirstOrDefault(t => t.StartsWith(StatusTagPrefix, StringComparison.Ordinal));
        if (current is null || status?[StatusTagPrefix.Length..].Split('/') is not { Length: 6 } parts)
        {
            return;
        }

        _ = EndLaterAsync(current, run, parts[2], tags);
    }

    public void FinalStatus(string commit)
    {
        var current = Volatile.Read(ref phase);
        if (current is not null && finals.TryAdd(commit, Stopwatch.GetTimestamp()) && finals.Count >= current.Expected)
        {
            current.Completed.TrySetResult();
        }
    }

    /// <summary>Completes when every run of the phase got its SUCCESSFUL status; throws after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout)
    {
        var current = Volatile.Read(ref phase) ?? throw new InvalidOperationException("No completion phase is on.");
        try
        {
            await current.Completed.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"{finals.Count} of {current.Expected} final statuses arrived within {timeout.TotalSeconds:0} s ({ended.Count} runs ended)"));
        }
    }

    async Task EndLaterAsync(Phase current, Guid run, string commit, IReadOnlyList<string> tags)
    {
        await Task.Delay(current.EndAfter);
        var started = DateTimeOffset.UtcNow;
        Tell(StateEvent(run, tags, "RUNNING", "Running", started));
        ended[commit] = Stopwatch.GetTimestamp();
        Tell(StateEvent(run, tags, "COMPLETED", "Completed", started.AddMilliseconds(1)));
    }

    void Tell(byte[] message)
    {
        foreach (var outbox in listeners.Keys)
        {
            outbox.Writer.TryWrite(message);
        }
    }

    static byte[] StateEvent(Guid run, IReadOnlyList<string> tags, string type, string name, DateTimeOffset at)
    {
        var timestamp = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        var related = new JsonArray();
        foreach (var tag in tags)
        {
            related.Add(new JsonObject { ["prefect.resource.id"] = $"prefect.tag.{tag}", ["prefect.resource.role"] = "tag" });
        }

        var message = new JsonObject
        {
            ["type"] = "event",
            ["event"] = new JsonObject
            {
                ["occurred"] = timestamp,
                ["event"] = $"prefect.flow-run.{name}",
                ["resource"] = new JsonObject
                {
                    ["prefect.resource.id"] = $"prefect.flow-run.{run}",
                    ["prefect.resource.name"] = "bench-run",
                    ["prefect.state-message"] = string.Empty,
                    ["prefect.state-name"] = name,
                    ["prefect.state-timestamp"] = timestamp,
                    ["prefect.state-type"] = type,
                },
                ["related"] = related,
                ["id"] = Guid.NewGuid().ToString(),
            },
        };
        return Encoding.UTF8.GetBytes(message.ToJsonString());
    }

    sealed class Phase(int expected, TimeSpan endAfter)
    {
        public readonly int Expected = expected;
        public readonly TimeSpan EndAfter = endAfter;
        public readonly TaskCompletionSource Completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
