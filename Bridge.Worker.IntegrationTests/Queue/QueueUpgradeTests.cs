using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using RabbitMQ.Client;

namespace Bridge.Tests.Queue;

/// <summary>
/// A queue an earlier Bridge declared without a delivery limit and dead-letter target cannot be declared again with
/// them (RabbitMQ answers PRECONDITION_FAILED): start-up stops and says which queue and what to do, in one log line
/// without a stack trace.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class QueueUpgradeTests(RabbitMqBrokerFixture fixture) : IDisposable
{
    private readonly RabbitMqBroker broker = fixture.Broker;
    private readonly WorkerProcessSettings settings = new();

    [Fact]
    public async Task Queue_declared_without_a_delivery_limit_stops_start_up_naming_the_queue_and_what_to_do()
    {
        var queue = $"bridge-test-upgrade-{Guid.NewGuid():N}";
        var password = $"upgrade-secret-{Guid.NewGuid():N}";
        await broker.Management.CreateUserAsync("bridge-upgrade", password);
        await DeclareAsEarlierBridgeDidAsync(queue);

        // A short start timeout: after it, stopping the half-started bus may take MassTransit's 30 s stop timeout on a
        // loaded machine, and the whole exit must fit in BridgeProcess.Deadline.
        var exit = await BridgeProcess.RunAsync(
            settings.Run(new Uri($"amqp://bridge-upgrade:{password}@{broker.Host}:{broker.Port}/"), queue, "--Bridge:Broker:StartTimeout=00:00:05"));

        Assert.True(exit.ExitCode == 6, exit.ToString());
        Assert.Contains($"bridge: RabbitMQ refused to declare queue '{queue}'", exit.Stderr, StringComparison.Ordinal);
        Assert.Contains("x-delivery-limit", exit.Stderr, StringComparison.Ordinal);
        Assert.Contains("docs/operations.md", exit.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(password, exit.Stdout + exit.Stderr, StringComparison.Ordinal);
        Assert.True(await broker.QueueExistsAsync(queue), "the existing queue (and its messages) must be left as it was");

        // The log says it once, in one line with the setting and the broker's reply, and shows no stack trace.
        var lines = exit.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var refused = Assert.Single(lines, l => l.Contains($"RabbitMQ refused to declare queue {queue}", StringComparison.Ordinal));
        Assert.Contains("(Bridge:Broker:Queue)", refused, StringComparison.Ordinal);
        Assert.Contains("the broker said: PRECONDITION_FAILED - inequivalent arg", refused, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.StartsWith("   at ", StringComparison.Ordinal));
        Assert.DoesNotContain("Hosting failed to start", exit.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => settings.Dispose();

    /// <summary>Bridge before RabbitMQ 4.x's rules: a quorum queue with no other argument.</summary>
    private async Task DeclareAsEarlierBridgeDidAsync(string queue)
    {
        await using var connection = await broker.CreateConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
    }
}
