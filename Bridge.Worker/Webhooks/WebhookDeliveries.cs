using Bridge.Contracts;

namespace Bridge.Worker.Webhooks;

/// <summary>Reads a queued <see cref="BitbucketWebhookDelivery"/> back: its version, its headers, its body's bytes.</summary>
internal static class WebhookDeliveries
{
    /// <summary>The delivery's body as the ingress received it, or what is wrong with the delivery, naming the field at fault.</summary>
    public static (byte[]? Body, InvalidWebhook? Invalid) Decode(BitbucketWebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (delivery.Version != BitbucketWebhookDelivery.CurrentVersion)
        {
            return (null, InvalidWebhook.At("version", $"version {delivery.Version} is not supported (this worker reads {BitbucketWebhookDelivery.CurrentVersion})"));
        }

        if (string.IsNullOrWhiteSpace(delivery.RequestUuid) || string.IsNullOrWhiteSpace(delivery.EventKey))
        {
            return (null, InvalidWebhook.At("requestUuid", "requestUuid and eventKey are required"));
        }

        var body = new byte[((delivery.Body?.Length ?? 0) * 3 / 4) + 3];
        return Convert.TryFromBase64String(delivery.Body ?? string.Empty, body, out var length)
            ? (body[..length], null)
            : (null, InvalidWebhook.At("body", "body must be the delivery's bytes in base64"));
    }
}
