using Bridge.Contracts;
using MassTransit;

namespace Bridge.Worker.Webhooks;

/// <summary>Takes a <see cref="BitbucketWebhookDelivery"/> off the webhook queue and hands it to the <see cref="WebhookProcessor"/>.</summary>
internal sealed class WebhookDeliveryConsumer(WebhookProcessor processor) : IConsumer<BitbucketWebhookDelivery>
{
    public Task Consume(ConsumeContext<BitbucketWebhookDelivery> context) => processor.ProcessAsync(context.Message, context.CancellationToken);
}
