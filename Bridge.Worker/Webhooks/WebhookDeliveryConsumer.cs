using Bridge.Contracts;
using Bridge.Worker.Identity;
using MassTransit;

namespace Bridge.Worker.Webhooks;

/// <summary>
/// Takes a <see cref="BitbucketWebhookDelivery"/> off the webhook queue and hands it to the <see cref="WebhookHandler"/>.
/// A rejection is thrown here, and only here, so MassTransit dead-letters it with its reason.
/// </summary>
internal sealed class WebhookDeliveryConsumer(WebhookHandler handler, ILogger<WebhookDeliveryConsumer> logger) : IConsumer<BitbucketWebhookDelivery>
{
    public async Task Consume(ConsumeContext<BitbucketWebhookDelivery> context)
    {
        var delivery = context.Message;
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["WebhookRequest"] = delivery.RequestUuid ?? string.Empty,
            ["EventKey"] = delivery.EventKey ?? string.Empty,
        });
        if (await handler.HandleAsync(delivery, context.CancellationToken) is { } rejection)
        {
            throw new EventRejectedException(rejection);
        }
    }
}
