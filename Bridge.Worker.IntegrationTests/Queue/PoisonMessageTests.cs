using System.Text.Json;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Ingress;

namespace Bridge.Tests.Queue;

/// <summary>
/// A message whose worker dies holding it (kill -9: nothing acknowledged, nothing closed) comes back to the next worker;
/// past <c>Bridge:Broker:DeliveryLimit</c> the broker moves it to <c>_error</c>, with the broker's reason, instead of
/// handing it out forever (RabbitMQ 3.x) or dropping it (4.x's default limit of 20, without a dead-letter target).
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class PoisonMessageTests(RabbitMqBrokerFixture fixture) : IDisposable
{
    private const int DeliveryLimit = 2;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly RabbitMqBroker broker = fixture.Broker;
    private readonly WorkerProcessSettings settings = new();

    [Fact]
    public async Task Message_that_keeps_killing_the_worker_ends_in_the_error_queue_with_the_broker_s_reason()
    {
        var queue = $"bridge-test-poison-{Guid.NewGuid():N}";
        // The worker's upstreams are unreachable and its retry waits five minutes: it holds the event until it is killed.
        var arguments = settings.Run(
            broker.AmqpUri, queue, $"--Bridge:Broker:DeliveryLimit={DeliveryLimit}", "--Bridge:Broker:RetryMinInterval=00:05:00",
            "--Bridge:Broker:RetryMaxInterval=00:05:00");
        var poison = JsonSerializer.SerializeToUtf8Bytes(SampleEvents.Tag(), IngressJsonContext.Default.PipelineEvent);

        var kills = 0;
        for (var worker = 1; await broker.MessageCountAsync(DeadLetters.ErrorQueue(queue)) == 0; worker++)
        {
            Assert.True(worker <= DeliveryLimit + 2, $"the message was delivered {worker - 1} times and is still not in {DeadLetters.ErrorQueue(queue)}");
            await using var bridge = BridgeProcess.Start(arguments);
            await WaitAsync(bridge, async () => await broker.ConsumerCountAsync(queue) == 1, "the worker consumes");
            if (worker == 1)
            {
                await broker.PublishRawAsync(queue, queue, poison, "application/json");
            }

            await WaitAsync(bridge, async () => await broker.MessageCountAsync(queue) == 0, "the worker took the message");
            await bridge.KillAsync();
            kills++;
            await Eventually.WaitAsync(
                async () => await broker.ConsumerCountAsync(queue) == 0 && await broker.MessageCountAsync(queue) + await broker.MessageCountAsync(DeadLetters.ErrorQueue(queue)) == 1,
                Deadline,
                "the broker took the message back from the killed worker");
        }

        // The first delivery and DeliveryLimit redeliveries, each to a worker that died holding it.
        Assert.Equal(DeliveryLimit + 1, kills);
        var dead = Assert.Single(await DeadLetters.TakeAsync(broker, queue));
        Assert.Equal(poison, dead.Body);
        Assert.Equal("delivery_limit", dead.Headers["x-first-death-reason"]);
        Assert.Equal(queue, dead.Headers["x-first-death-queue"]);
        Assert.False(dead.Headers.ContainsKey(DeadLetters.FaultMessageHeader), "MassTransit never gave up on it: the broker moved it");
        Assert.Equal(0u, await broker.MessageCountAsync(queue));
    }

    public void Dispose() => settings.Dispose();

    /// <summary>Waits for <paramref name="condition"/>, failing at once with the worker's output should it exit first.</summary>
    private static Task WaitAsync(RunningBridge bridge, Func<Task<bool>> condition, string what) => Eventually.WaitAsync(
        async () => await condition() || (bridge.HasExited ? throw new Xunit.Sdk.XunitException($"The worker exited before {what}:\n{bridge.Output}") : false),
        Deadline,
        what);
}
