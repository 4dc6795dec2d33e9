namespace Bridge.Worker.Queue;

/// <summary>Where events come from: RabbitMQ (production), or MassTransit's in-memory bus (the sandbox without a broker).</summary>
internal enum BrokerTransport
{
    RabbitMq,
    InMemory,
}
