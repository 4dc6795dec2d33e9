using Bridge.Worker.Queue;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Webhooks;

/// <summary>The webhook consumer with Bridge's retry policy (<see cref="ConsumerRetry"/>).</summary>
internal sealed class WebhookDeliveryConsumerDefinition(IOptions<BrokerOptions> options) : ConsumerDefinition<WebhookDeliveryConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<WebhookDeliveryConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        ConsumerRetry.Configure(consumerConfigurator, options.Value);
}
