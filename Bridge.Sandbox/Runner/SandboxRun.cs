using System.Reflection;
using System.Text.Json;
using Bridge.Contracts;
using Bridge.Sandbox.Emulators;
using Bridge.Worker.Queue;
using MassTransit;
using Bridge.Worker.Routing;

namespace Bridge.Sandbox.Runner;

/// <summary>
/// The sandbox: the real worker against the emulators and a broker (the local RabbitMQ when one answers, else the
/// in-memory transport); publishes the sample events, prints their progress and a summary.
/// </summary>
internal static class SandboxRun
{
    public static async Task<int> RunAsync(Uri brokerUrl, bool inMemory, TimeSpan timeout, TextWriter output, CancellationToken cancellationToken)
    {
        var useRabbit = !inMemory && await BrokerProbe.AnswersAsync(brokerUrl, cancellationToken);
        await output.WriteLineAsync(useRabbit
            ? $"Broker: RabbitMQ at {brokerUrl.Host}:{brokerUrl.Port} (queue bridge-sandbox-events)"
            : inMemory ? "Broker: MassTransit in-memory transport (--in-memory)"
            : $"Broker: no RabbitMQ answers at {brokerUrl.Host}:{brokerUrl.Port}; using MassTransit's in-memory transport");

        var acknowledged = new AcknowledgedEvents();
        var webhooks = new SampleWebhooks();
        var settings = new Dictionary<string, string?>(webhooks.Settings()) { ["Serilog:MinimumLevel:Override:MassTransit"] = "Warning" };
        await using var stack = await SandboxStack.StartAsync(
            new SandboxStackOptions
            {
                Transport = useRabbit ? BrokerTransport.RabbitMq : BrokerTransport.InMemory,
                BrokerUrl = useRabbit ? brokerUrl.ToString() : null,
                RoutesYaml = await ReadRoutesAsync(),
                Settings = settings,
                ConfigureWorker = builder => builder.Services.AddConsumeObserver(_ => acknowledged),
            },
            cancellationToken);
        StandaloneEmulators.Seed(stack.Prefect);
        stack.Prefect.AddDeployment("bridge-demo", "docs", tags: ["bridge-demo"]);
        await output.WriteLineAsync(
            $"Prefect emulator {stack.Prefect.ApiUrl} · Bitbucket emulator {stack.Bitbucket.ApiUrl} · worker ingress http://127.0.0.1:{webhooks.IngressPort}/v1/…");

        var routes = stack.Worker.Services.GetRequiredService<RouteTable>();
        var outcomes = SampleEvents.Create(plainJson: useRabbit)
            .Select(s => new SampleOutcome(s, s.Webhook is { } w ? routes.ForWebhook(w.EventKey, s.Trigger.Subject) : routes.ForPipelineStep(s.Trigger.Subject)))
            .ToList();
        using var board = new ProgressBoard(stack, outcomes, acknowledged, output);
        await output.WriteLineAsync($"Publishing {outcomes.Count} sample events:");
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i].Sample.IsRedelivery)
            {
                // A redelivery shows something only once the first delivery has been handled.
                await board.WaitAsync(outcomes.Take(i), timeout, cancellationToken);
            }

            await PublishAsync(stack, webhooks, outcomes[i].Sample, brokerUrl, cancellationToken);
        }

        var done = await board.WaitAsync(outcomes, timeout, cancellationToken);
        await SandboxSummary.WriteAsync(output, stack, outcomes, acknowledged);
        return done ? 0 : 1;
    }

    private static async Task PublishAsync(SandboxStack stack, SampleWebhooks webhooks, SampleEvent sample, Uri brokerUrl, CancellationToken cancellationToken)
    {
        if (sample.Webhook is { } webhook)
        {
            await webhooks.DeliverAsync(webhook, cancellationToken);
            return;
        }

        if (sample.AsPlainJson)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(sample.Message!, SandboxJson.Options);
            await BrokerProbe.PublishJsonAsync(brokerUrl, stack.Queue, json, cancellationToken);
            return;
        }

        await stack.SendAsync(sample.Message!, cancellationToken);
    }

    private static async Task<string> ReadRoutesAsync()
    {
        await using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("sandbox-routes.yaml")
            ?? throw new InvalidOperationException("The sandbox's routes file is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
