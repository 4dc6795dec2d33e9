using MassTransit;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Intake;

/// <summary>
/// Retries transient failures with exponential back-off; permanent ones (invalid events, refused requests,
/// unreadable bodies) go to the <c>_error</c> queue at once, where MassTransit records the reason.
/// </summary>
internal sealed class PipelineEventConsumerDefinition(IOptions<BrokerOptions> options) : ConsumerDefinition<PipelineEventConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PipelineEventConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        var broker = options.Value;
        var step = TimeSpan.FromTicks(Math.Max(broker.RetryMinInterval.Ticks, 1));
        consumerConfigurator.UseMessageRetry(retry =>
        {
            retry.Exponential(broker.RetryLimit, broker.RetryMinInterval, broker.RetryMaxInterval, step);
            retry.Ignore<PermanentFailureException>();
            retry.Ignore<System.Text.Json.JsonException>();
            retry.Ignore<System.Runtime.Serialization.SerializationException>();
        });
    }
}
