using Bridge.Worker.Triggers;

namespace Bridge.Worker.Webhooks;

/// <summary>A webhook Bridge cannot read: <see cref="Field"/> is the JSON path (or header) at fault, <see cref="Why"/> says what is wrong.</summary>
internal sealed record InvalidWebhook(string Field, string Why)
{
    public static InvalidWebhook At(string field, string message) => new(field, $"Invalid webhook: {message}");

    public Rejection ToRejection() => new(WebhookRejectReasons.InvalidPayload, Why);
}
