namespace Bridge.Worker.Queue;

/// <summary>Where to send a message so that it lands in one of the worker's queues.</summary>
internal static class QueueAddresses
{
    /// <summary>
    /// On RabbitMQ the queue's exchange (MassTransit binds an exchange of the same name to it): a <c>queue:</c>
    /// address would declare a classic queue over the quorum one, which RabbitMQ refuses.
    /// </summary>
    public static Uri For(BrokerOptions broker, string queue)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return broker.Transport == BrokerTransport.InMemory ? new Uri($"queue:{queue}") : new Uri($"exchange:{queue}");
    }
}
