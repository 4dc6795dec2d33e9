using RabbitMQ.Client;

namespace Bridge.Sandbox.Runner;

/// <summary>Finds out whether a RabbitMQ broker answers at a URL, and publishes plain JSON the way any AMQP client would.</summary>
internal static class BrokerProbe
{
    public static async Task<bool> AnswersAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await Factory(url).CreateConnectionAsync(cancellationToken);
            return connection.IsOpen;
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or IOException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Publishes a persistent JSON body to the exchange named after the worker's queue.</summary>
    public static async Task PublishJsonAsync(Uri url, string exchange, byte[] body, CancellationToken cancellationToken)
    {
        await using var connection = await Factory(url).CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var properties = new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent };
        await channel.BasicPublishAsync(exchange, string.Empty, mandatory: false, properties, body, cancellationToken);
    }

    private static ConnectionFactory Factory(Uri url) => new()
    {
        Uri = url,
        RequestedConnectionTimeout = TimeSpan.FromSeconds(2),
        AutomaticRecoveryEnabled = false,
    };
}
