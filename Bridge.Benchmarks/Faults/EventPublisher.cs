using System.Diagnostics;
using System.Text;
using Bridge.Tests.Infrastructure;
using RabbitMQ.Client;

namespace Bridge.Benchmarks.Faults;

/// <summary>Publishes message bodies straight to a queue (default exchange), persistent, with publisher confirms.</summary>
internal static class EventPublisher
{
    const int Outstanding = 256;

    /// <summary>
    /// At a steady <paramref name="rate"/> per second (paced on the clock); <paramref name="at"/> runs once the given
    /// number of events is published (e.g. a kill), while the pacing clock keeps running.
    /// </summary>
    public static async Task PublishPacedAsync(
        RabbitMqBroker broker, string queue, IReadOnlyList<IssuedEvent> events, double rate, IReadOnlyDictionary<int, Func<Task>>? at = null)
    {
        var channel = await broker.OpenChannelAsync(confirms: true);
        try
        {
            var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < events.Count; i++)
            {
                if (at is not null && at.TryGetValue(i, out var action))
                {
                    await action();
                }

                var due = start + (long)(i * Stopwatch.Frequency / rate);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                {
                    // Pacing: the event's time slot (a clock, not a condition).
                    await Task.Delay(wait);
                }

                if (!channel.IsOpen)
                {
                    await channel.DisposeAsync();
                    channel = await broker.OpenChannelAsync(confirms: true);
                }

                await channel.BasicPublishAsync("", queue, mandatory: false, properties, events[i].Body);
            }
        }
        finally
        {
            await channel.DisposeAsync();
        }
    }

    /// <summary>Every message as fast as the broker confirms them, with the content type each asks for.</summary>
    public static async Task PublishAllAsync(RabbitMqBroker broker, string queue, IReadOnlyList<BadMessage> messages)
    {
        await using var channel = await broker.OpenChannelAsync(confirms: true);
        foreach (var batch in messages.Chunk(Outstanding))
        {
            await Task.WhenAll(batch.Select(m => channel.BasicPublishAsync(
                "", queue, mandatory: false, new BasicProperties { Persistent = true, ContentType = m.ContentType }, m.Body).AsTask()));
        }
    }

    /// <summary>
    /// Takes every message of the queue (basic.get on one channel) and returns each body with its content type and headers (long strings
    /// decoded as UTF-8, other values as text).
    /// </summary>
    public static async Task<IReadOnlyList<(byte[] Body, string? ContentType, IReadOnlyDictionary<string, string> Headers)>> DrainAsync(RabbitMqBroker broker, string queue)
    {
        var taken = new List<(byte[], string?, IReadOnlyDictionary<string, string>)>();
        await using var channel = await broker.OpenChannelAsync(confirms: false);
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
        {
            var headers = (message.BasicProperties.Headers ?? new Dictionary<string, object?>()).ToDictionary(
                h => h.Key, h => h.Value is byte[] text ? Encoding.UTF8.GetString(text) : h.Value?.ToString() ?? "", StringComparer.Ordinal);
            taken.Add((message.Body.ToArray(), message.BasicProperties.ContentType, headers));
        }

        return taken;
    }
}
