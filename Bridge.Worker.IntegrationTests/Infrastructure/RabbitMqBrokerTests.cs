using System.Text;
using RabbitMQ.Client;
using Xunit;

namespace Bridge.Tests.Infrastructure;

[Collection(BrokerCollection.Name)]
public sealed class RabbitMqBrokerTests(RabbitMqBrokerFixture fixture)
{
    readonly RabbitMqBroker broker = fixture.Broker;

    [Fact]
    public async Task Broker_accepts_a_connection()
    {
        var factory = new ConnectionFactory { Uri = broker.AmqpUri };

        await using var connection = await factory.CreateConnectionAsync();

        Assert.True(connection.IsOpen);
        Assert.Equal(broker.Port, connection.Endpoint.Port);
    }

    [Fact]
    public async Task Quorum_queue_can_be_declared()
    {
        var queue = $"quorum-{Guid.NewGuid():N}";
        var factory = new ConnectionFactory { Uri = broker.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();

        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });

        Assert.True(await broker.QueueExistsAsync(queue));
        await broker.PublishRawAsync("", queue, "{}"u8.ToArray(), "application/json");
        Assert.Equal(1u, await broker.MessageCountAsync(queue));
        await broker.DeleteQueueAsync(queue);
        Assert.False(await broker.QueueExistsAsync(queue));
    }

    [Fact]
    public async Task Raw_message_is_counted_and_can_be_fetched()
    {
        var queue = $"raw-{Guid.NewGuid():N}";
        var factory = new ConnectionFactory { Uri = broker.AmqpUri };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        }

        Assert.Equal(0u, await broker.MessageCountAsync("no-such-queue"));
        Assert.Null(await broker.GetAsync("no-such-queue"));

        await broker.PublishRawAsync("", queue, Encoding.UTF8.GetBytes("hello"), "text/plain");

        Assert.Equal(1u, await broker.MessageCountAsync(queue));
        Assert.Equal("hello", Encoding.UTF8.GetString(await broker.GetAsync(queue) ?? []));
        Assert.Equal(0u, await broker.MessageCountAsync(queue));
        Assert.Null(await broker.GetAsync(queue));
        await broker.DeleteQueueAsync(queue);
    }
}
