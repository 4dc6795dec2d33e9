using MassTransit;

namespace Bridge.Worker.Queue;

/// <summary>
/// The retry policy of Bridge's consumers: transient failures are retried with exponential back-off; permanent ones
/// (invalid messages, refused requests, unreadable bodies) go to the <c>_error</c> queue at once.
/// </summary>
internal static class ConsumerRetry
{
    public static void Configure<TConsumer>(IConsumerConfigurator<TConsumer> consumer, BrokerOptions broker)
        where TConsumer : class
    {
        var step = TimeSpan.FromTicks(Math.Max(broker.RetryMinInterval.Ticks, 1));
        consumer.UseMessageRetry(retry =>
        {
            retry.Exponential(broker.RetryLimit, broker.RetryMinInterval, broker.RetryMaxInterval, step);
            retry.Ignore<PermanentFailureException>();
            retry.Ignore<System.Text.Json.JsonException>();
            retry.Ignore<System.Runtime.Serialization.SerializationException>();
        });
    }
}
