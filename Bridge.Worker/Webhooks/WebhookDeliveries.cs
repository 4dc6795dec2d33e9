using Bridge.Contracts;

namespace Bridge.Worker.Webhooks;

/// <summary>Reads a queued <see cref="BitbucketWebhookDelivery"/> back: its version, its headers, its body's bytes.</summary>
internal static class WebhookDeliveries
{
    /// <summary>The delivery's body as the ingress received it; throws <see cref="InvalidWebhookException"/> naming the field at fault.</summary>
    public static byte[] Decode(BitbucketWebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (delivery.Version != BitbucketWebhookDelivery.CurrentVersion)
        {
            throw new InvalidWebhookException("version", $"version {delivery.Version} is not supported (this worker reads {BitbucketWebhookDelivery.CurrentVersion})");
        }

        if (string.IsNullOrWhiteSpace(delivery.RequestUuid) || string.IsNullOrWhiteSpace(delivery.EventKey))
        {
            throw new InvalidWebhookException("requestUuid", "requestUuid and eventKey are required");
        }

        try
        {
            return Convert.FromBase64String(delivery.Body ?? string.Empty);
        }
        catch (FormatException)
        {
            throw new InvalidWebhookException("body", "body must be the delivery's bytes in base64");
        }
    }
}
