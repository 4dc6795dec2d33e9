using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Bridge.Tests.Infrastructure;

/// <summary>
/// The queue operations the tests need (count, exists, publish, get, delete), each on a channel of its own over one
/// shared connection that is reopened when it dropped.
/// </summary>
internal sealed class RabbitMqQueues(Func<ConnectionFactory> connectionFactory) : IAsyncDisposable
{
    readonly SemaphoreSlim connectionLock = new(1, 1);
    IConnection? connection;

    /// <summary>Number of ready messages in the queue; 0 if the queue does not exist.</summary>
    public async Task<uint> MessageCountAsync(string queue) => (await DeclarePassiveAsync(queue))?.MessageCount ?? 0;

    /// <summary>Number of consumers of the queue; 0 if the queue does not exist.</summary>
    public async Task<uint> ConsumerCountAsync(string queue) => (await DeclarePassiveAsync(queue))?.ConsumerCount ?? 0;

    public async Task<bool> QueueExistsAsync(string queue) => await DeclarePassiveAsync(queue) is not null;

    /// <summary>
    /// Declares an event queue with the arguments the worker declares it with (<see cref="Bridge.Worker.Queue.RabbitMqTopology"/>
    /// at the default delivery limit), so a worker started on it later does not find it inequivalent.
    /// </summary>
    public async Task DeclareEventQueueAsync(string queue)
    {
        await using var channel = await OpenChannelAsync(confirms: false);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?>
            {
                ["x-queue-type"] = "quorum",
                [Bridge.Worker.Queue.RabbitMqTopology.DeliveryLimitArgument] = new Bridge.Worker.Queue.BrokerOptions().DeliveryLimit,
                [Bridge.Worker.Queue.RabbitMqTopology.DeadLetterExchangeArgument] = Bridge.Worker.Queue.RabbitMqTopology.ErrorQueue(queue),
                [Bridge.Worker.Queue.RabbitMqTopology.DeadLetterStrategyArgument] = "at-least-once",
                [Bridge.Worker.Queue.RabbitMqTopology.OverflowArgument] = "reject-publish",
            });
    }

    /// <summary>Removes every ready message of the queue; the number removed.</summary>
    public async Task<uint> PurgeAsync(string queue)
    {
        await using var channel = await OpenChannelAsync(confirms: false);
        return await channel.QueuePurgeAsync(queue);
    }

    /// <summary>
    /// Publishes a persistent message and waits for the broker's confirm. Published as mandatory: throws
    /// <see cref="PublishException"/> if no queue receives it. Use exchange "" to publish straight to a queue.
    /// </summary>
    public async Task PublishRawAsync(string exchange, string routingKey, byte[] body, string? contentType)
    {
        await using var channel = await OpenChannelAsync(confirms: true);
        var properties = new BasicProperties { Persistent = true, ContentType = contentType };
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body);
    }

    /// <summary>basic.get with ack: the body of the next message, or null if the queue is empty or does not exist.</summary>
    public async Task<byte[]?> GetAsync(string queue) => (await GetWithHeadersAsync(queue))?.Body;

    /// <summary>
    /// basic.get with ack: the next message's body, content type and headers, or null if the queue is empty or does not
    /// exist. Header values that are AMQP long strings (byte[]) are decoded as UTF-8; other values are as the client gives them.
    /// </summary>
    public async Task<(byte[] Body, string? ContentType, IReadOnlyDictionary<string, object?> Headers)?> GetWithHeadersAsync(string queue)
    {
        await using var channel = await OpenChannelAsync(confirms: false);
        BasicGetResult? result;
        try
        {
            result = await channel.BasicGetAsync(queue, autoAck: false);
        }
        catch (OperationInterruptedException e) when (IsNotFound(e))
        {
            return null;
        }

        if (result is null)
        {
            return null;
        }

        var headers = (result.BasicProperties.Headers ?? new Dictionary<string, object?>()).ToDictionary(
            h => h.Key, h => h.Value is byte[] text ? Encoding.UTF8.GetString(text) : h.Value, StringComparer.Ordinal);
        var body = result.Body.ToArray();
        await channel.BasicAckAsync(result.DeliveryTag, multiple: false);
        return (body, result.BasicProperties.ContentType, headers);
    }

    public async Task DeleteQueueAsync(string queue)
    {
        await using var channel = await OpenChannelAsync(confirms: false);
        await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            try
            {
                await connection.CloseAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception e) when (e is IOException or OperationInterruptedException or AlreadyClosedException or TimeoutException)
            {
                // The broker is going away anyway.
            }

            await connection.DisposeAsync();
        }

        connectionLock.Dispose();
    }

    /// <summary>A channel of its own on the shared connection (with publisher confirms tracked if asked); the caller disposes it.</summary>
    public async Task<IChannel> OpenChannelAsync(bool confirms)
    {
        await connectionLock.WaitAsync();
        try
        {
            if (connection is null || !connection.IsOpen)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }

                connection = await connectionFactory().CreateConnectionAsync("bridge-test-helpers");
            }
        }
        finally
        {
            connectionLock.Release();
        }

        return await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: confirms, publisherConfirmationTrackingEnabled: confirms));
    }

    /// <summary>The queue's counts, or null if it does not exist.</summary>
    async Task<QueueDeclareOk?> DeclarePassiveAsync(string queue)
    {
        await using var channel = await OpenChannelAsync(confirms: false);
        try
        {
            return await channel.QueueDeclarePassiveAsync(queue);
        }
        catch (OperationInterruptedException e) when (IsNotFound(e))
        {
            return null;
        }
    }

    static bool IsNotFound(OperationInterruptedException e) => e.ShutdownReason?.ReplyCode == 404;
}
