using System.Text.Json;
using FreePorts = Bridge.Sandbox.Runner.FreePorts;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Ingress;

namespace Bridge.Tests.Queue;

/// <summary>
/// <c>/metrics</c> of a real <c>bridge run</c> process: MassTransit keeps its instruments once per process, so only a
/// worker of its own (not one of several in the test process) shows them as a deployment does.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class MetricsEndpointTests(RabbitMqBrokerFixture fixture) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly WorkerProcessSettings settings = new();

    [Fact]
    public async Task A_worker_process_serves_bridge_s_masstransit_s_and_the_runtime_s_metrics_with_its_service_name()
    {
        var broker = fixture.Broker;
        var queue = $"bridge-test-metrics-{Guid.NewGuid():N}";
        var port = FreePorts.Next();

        // The later --urls wins over the settings' port 0.
        var arguments = settings.Run(
            broker.AmqpUri, queue, "--Bridge:Broker:RetryMinInterval=00:05:00", "--Bridge:Broker:RetryMaxInterval=00:05:00", $"--urls=http://127.0.0.1:{port}");
        await using var bridge = BridgeProcess.Start(arguments);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Eventually.WaitAsync(async () => await broker.ConsumerCountAsync(queue) == 1 || Exited(bridge), Deadline, "the worker consumes");

        // One event: received by MassTransit, then held in the retry back-off (the upstreams cannot be reached).
        await broker.PublishRawAsync(queue, queue, JsonSerializer.SerializeToUtf8Bytes(SampleEvents.Tag(), IngressJsonContext.Default.PipelineEvent), "application/json");
        var metrics = "";
        await Eventually.WaitAsync(
            async () => (metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Contains("messaging_masstransit_receive", StringComparison.Ordinal) || Exited(bridge),
            Deadline,
            "MassTransit's receive counter on /metrics");

        foreach (var series in new[] { "messaging_masstransit_receive", "dotnet_", "http_server_", "service_name=\"bridge\"", "# TYPE bridge_" })
        {
            Assert.Contains(series, metrics, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("queue-test-token", metrics, StringComparison.Ordinal);
        await bridge.KillAsync();
        await broker.DeleteQueueAsync(queue);
        await broker.DeleteQueueAsync(queue + "_error");
    }

    public void Dispose() => settings.Dispose();

    private static bool Exited(RunningBridge bridge) =>
        bridge.HasExited ? throw new Xunit.Sdk.XunitException($"The worker exited:\n{bridge.Output}") : false;
}
