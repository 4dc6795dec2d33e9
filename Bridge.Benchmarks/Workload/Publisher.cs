using System.Collections.Concurrent;
using System.Diagnostics;
using Bridge.Tests.Infrastructure;
using RabbitMQ.Client;

namespace Bridge.Benchmarks.Workload;

/// <summary>Publishes events straight to the queue (default exchange) as persistent messages, with publisher confirms.</summary>
internal sealed class Publisher(RabbitMqBroker broker, string queue)
{
    const int Outstanding = 256;
    static readonly BasicProperties Properties = new() { Persistent = true, ContentType = "application/json" };

    /// <summary>All of them as fast as the broker confirms (the pre-queued drain).</summary>
    public async Task PublishAllAsync(IReadOnlyList<QueuedEvent> events)
    {
        await using var channel = await broker.OpenChannelAsync(confirms: true);
        foreach (var batch in events.Chunk(Outstanding))
        {
            await Task.WhenAll(batch.Select(e => channel.BasicPublishAsync("", queue, false, Properties, e.Body).AsTask()));
        }
    }

    /// <summary>
    /// At a steady <paramref name="rate"/> (events per second, paced on the clock, at most 256 unconfirmed); returns when
    /// each was published (Stopwatch timestamp just before the publish, by commit) and the rate achieved.
    /// </summary>
    public async Task<(IReadOnlyDictionary<string, long> Published, double Rate)> PublishPacedAsync(IReadOnlyList<QueuedEvent> events, double rate)
    {
        await using var channel = await broker.OpenChannelAsync(confirms: true);
        var published = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var window = new SemaphoreSlim(Outstanding);
        var confirms = new List<Task>(events.Count);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < events.Count; i++)
        {
            var due = start + (long)(i * Stopwatch.Frequency / rate);
            // Pacing: wait for the event's time slot (a clock, not a condition).
            while (Stopwatch.GetTimestamp() < due)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(1));
            }

            await window.WaitAsync();
            published[events[i].Commit] = Stopwatch.GetTimestamp();
            confirms.Add(PublishAsync(channel, events[i], window));
        }

        await Task.WhenAll(confirms);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return (published, events.Count / seconds);
    }

    async Task PublishAsync(IChannel channel, QueuedEvent e, SemaphoreSlim window)
    {
        try
        {
            await channel.BasicPublishAsync("", queue, false, Properties, e.Body);
        }
        finally
        {
            window.Release();
        }
    }
}
