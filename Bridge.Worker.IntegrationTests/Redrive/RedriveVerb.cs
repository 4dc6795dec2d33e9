using System.Globalization;
using System.Text.Json;
using Bridge.Contracts;
using Bridge.Tests.Infrastructure;
using Bridge.Worker.Cli;
using Bridge.Worker.Ingress;
using Bridge.Worker.Queue;
using Bridge.Worker.Redrive;
using RabbitMQ.Client;

namespace Bridge.Tests.Redrive;

/// <summary><c>bridge redrive</c> run in-process on the test broker, and dead letters made as MassTransit or the broker make them.</summary>
internal static class RedriveVerb
{
    /// <param name="interruptAfterFirstMove">Cancelled, as Ctrl-C would, once the first <c>moved</c> line is printed.</param>
    public static async Task<RedriveExit> RunAsync(
        RabbitMqBroker broker,
        string queue,
        RedriveFilter? filter = null,
        int? limit = null,
        bool dryRun = false,
        Uri? url = null,
        CancellationTokenSource? interruptAfterFirstMove = null)
    {
        using var output = new InterruptingWriter(interruptAfterFirstMove);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        string[] settings = [$"--Bridge:Broker:Url={url ?? broker.AmqpUri}", $"--Bridge:Broker:Queue={queue}"];
        var exit = await RedriveCommand.RunAsync(
            new RedriveSettings(settings, filter ?? RedriveFilter.All, limit, dryRun),
            output,
            error,
            TimeProvider.System,
            interruptAfterFirstMove?.Token ?? CancellationToken.None);
        return new RedriveExit(exit, output.ToString(), error.ToString());
    }

    public static RedriveFilter Reasons(params string[] reasons) => new(reasons, null, null);

    /// <summary>
    /// An event queue and its <c>_error</c> queue as <c>bridge run</c> declares them (the event queue dead-letters into
    /// <c>_error</c>), for tests that need no worker consuming.
    /// </summary>
    public static async Task DeclareQueuesAsync(RabbitMqBroker broker, string queue, IDictionary<string, object?>? eventQueueArguments = null)
    {
        await using var channel = await broker.OpenChannelAsync(confirms: false);
        var error = RabbitMqTopology.ErrorQueue(queue);
        await channel.ExchangeDeclareAsync(error, ExchangeType.Fanout, durable: true);
        await channel.QueueDeclareAsync(error, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        await channel.QueueBindAsync(error, error, string.Empty);
        if (eventQueueArguments is null)
        {
            await broker.DeclareEventQueueAsync(queue);
        }
        else
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, eventQueueArguments);
        }
    }

    /// <summary>A dead letter as MassTransit's error pipe writes it (with Bridge's reason header), put straight into <c>_error</c>.</summary>
    public static async Task PutFaultAsync(RabbitMqBroker broker, string queue, PipelineEvent message, string reason, DateTimeOffset faultedAt)
    {
        await using var channel = await broker.OpenChannelAsync(confirms: true);
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = "application/json",
            MessageId = message.EventId.ToString(),
            Headers = new Dictionary<string, object?>
            {
                [FailureReasonHeaderFilter.FailureReasonHeader] = reason,
                ["MT-Reason"] = "fault",
                ["MT-Fault-Message"] = $"failed: {reason}",
                ["MT-Fault-Timestamp"] = faultedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["MT-Host-MachineName"] = "worker-1",
                ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            },
        };
        await channel.BasicPublishAsync(string.Empty, RabbitMqTopology.ErrorQueue(queue), mandatory: true, properties, Body(message));
    }

    /// <summary>Published to the event queue with a TTL of 1 ms and no consumer: the broker dead-letters it into <c>_error</c> as <c>expired</c>.</summary>
    public static async Task PublishExpiringAsync(RabbitMqBroker broker, string queue, PipelineEvent message)
    {
        await using var channel = await broker.OpenChannelAsync(confirms: true);
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json", Expiration = "1" };
        await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, Body(message));
    }

    public static byte[] Body(PipelineEvent message) => JsonSerializer.SerializeToUtf8Bytes(message, IngressJsonContext.Default.PipelineEvent);

    /// <summary>The lines that name a dead letter (<c>moved …</c> or <c>would move …</c>).</summary>
    public static IReadOnlyList<string> Lines(this RedriveExit exit) =>
        [.. exit.Output.Split('\n').Where(line => line.StartsWith("moved ", StringComparison.Ordinal) || line.StartsWith("would move ", StringComparison.Ordinal))];
}

/// <summary>Captures the output; cancels <paramref name="interrupt"/> when a <c>moved</c> line is written.</summary>
internal sealed class InterruptingWriter(CancellationTokenSource? interrupt) : StringWriter(CultureInfo.InvariantCulture)
{
    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        if (value?.StartsWith("moved ", StringComparison.Ordinal) == true)
        {
            interrupt?.Cancel();
        }
    }
}

internal sealed record RedriveExit(int Code, string Output, string Error)
{
    public override string ToString() => $"exit {Code}\nstdout:\n{Output}\nstderr:\n{Error}";
}
