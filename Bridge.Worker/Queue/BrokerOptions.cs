namespace Bridge.Worker.Queue;

/// <summary>The queue Bridge consumes and how hard it retries.</summary>
internal sealed class BrokerOptions
{
    public const string Section = "Bridge:Broker";

    public BrokerTransport Transport { get; set; } = BrokerTransport.RabbitMq;

    /// <summary><c>amqp://user:password@host:5672/vhost</c> (or <c>amqps://</c>). The password is a secret.</summary>
    public string Url { get; set; } = "amqp://guest:guest@localhost:5672/";

    /// <summary>The durable quorum queue of <c>PipelineEvent</c>s; failed messages go to <c>{Queue}_error</c>.</summary>
    public string Queue { get; set; } = "bridge-pipeline-events";

    /// <summary>Messages the broker may deliver ahead of processing.</summary>
    public int PrefetchCount { get; set; } = 16;

    /// <summary>Events processed at once by this worker.</summary>
    public int ConcurrentMessageLimit { get; set; } = 8;

    /// <summary>Retries of a message after a transient failure, before it moves to <c>{Queue}_error</c>.</summary>
    public int RetryLimit { get; set; } = 5;

    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the broker hands out again a message that came back (its worker died holding it) before it
    /// dead-letters the message to <c>{Queue}_error</c>: the event queues' <c>x-delivery-limit</c>.
    /// </summary>
    public int DeliveryLimit { get; set; } = 10;

    /// <summary>How long start-up waits for the broker before it gives up.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
