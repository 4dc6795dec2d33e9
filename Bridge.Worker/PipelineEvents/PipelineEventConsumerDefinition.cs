using Bridge.Worker.Queue;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.PipelineEvents;

/// <summary>The pipeline event consumer with Bridge's retry policy (<see cref="ConsumerRetry"/>).</summary>
internal sealed class PipelineEventConsumerDefinition(IOptions<BrokerOptions> options) : ConsumerDefinition<PipelineEventConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PipelineEventConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        ConsumerRetry.Configure(consumerConfigurator, options.Value);
}
