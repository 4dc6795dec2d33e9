using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Bridge.Benchmarks.Floor;

/// <summary>
/// The queue floor: a raw RabbitMQ.Client consumer of the worker's queue, with Bridge's default prefetch and
/// concurrency, making per event the same three calls Bridge makes on the same endpoints (the pipeline read,
/// create_flow_run, the INPROGRESS status) and acking, with no checks. What any worker on this box could reach at most.
/// </summary>
internal static class QueueFloor
{
    public static async Task<int> RunAsync(FloorSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var http = new HttpClient();
        // The deployment is looked up once, as Bridge's cache does.
        using var deployment = JsonDocument.Parse(await http.GetStringAsync(new Uri($"{settings.Upstream}/api/deployments/name/bench-flow/production"), cancellationToken));
        var createFlowRun = new Uri($"{settings.Upstream}/api/deployments/{deployment.RootElement.GetProperty("id").GetString()}/create_flow_run");

        var factory = new ConnectionFactory { Uri = settings.Amqp, ConsumerDispatchConcurrency = settings.Concurrency };
        await using var connection = await factory.CreateConnectionAsync("bridge-bench-floor", cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.BasicQosAsync(0, settings.Prefetch, global: false, cancellationToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            await HandleAsync(http, settings.Upstream, createFlowRun, delivery.Body, cancellationToken);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
        };
        await channel.BasicConsumeAsync(settings.Queue, autoAck: false, consumer, cancellationToken);
        await Console.Out.WriteLineAsync($"floor: consuming {settings.Queue}");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        return 0;
    }

    static async Task HandleAsync(HttpClient http, string upstream, Uri createFlowRun, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var message = JsonDocument.Parse(body);
        var root = message.RootElement;
        var workspace = Uri.EscapeDataString(root.GetProperty("workspace").GetProperty("uuid").GetString()!);
        var repository = Uri.EscapeDataString(root.GetProperty("repository").GetProperty("uuid").GetString()!);
        var pipeline = root.GetProperty("pipelineUuid").GetString()!;
        var commit = root.GetProperty("commit").GetString()!;
        var tag = root.GetProperty("ref").GetProperty("name").GetString()!;

        using (var read = await http.GetAsync(new Uri($"{upstream}/2.0/repositories/{workspace}/{repository}/pipelines/{Uri.EscapeDataString(pipeline)}"), cancellationToken))
        {
            await read.Content.ReadAsByteArrayAsync(cancellationToken);
        }

        var run = $$"""{"name":"api-{{tag}}-{{commit[..7]}}","parameters":{"commit":"{{commit}}","version":"{{tag}}"},"tags":["bridge","bridge-route:release"],"labels":{"bridge.commit":"{{commit}}","bridge.ref":"{{tag}}","bridge.pipeline-uuid":"{{pipeline}}"},"idempotency_key":"floor:{{pipeline}}"}""";
        using (var created = await http.PostAsync(createFlowRun, Json(run), cancellationToken))
        {
            await created.Content.ReadAsByteArrayAsync(cancellationToken);
        }

        var status = $$"""{"key":"0123456789abcdef0123456789abcdef01234567","state":"INPROGRESS","name":"release","url":"http://127.0.0.1/runs/flow-run/x","description":"Flow run started"}""";
        using var posted = await http.PostAsync(new Uri($"{upstream}/2.0/repositories/{workspace}/{repository}/commit/{commit}/statuses/build"), Json(status), cancellationToken);
        await posted.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    static ByteArrayContent Json(string body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
