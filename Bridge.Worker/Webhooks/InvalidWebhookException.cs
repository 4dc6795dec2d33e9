namespace Bridge.Worker.Webhooks;

/// <summary>A webhook body Bridge cannot read; <see cref="Field"/> is the JSON path (or header) at fault.</summary>
internal sealed class InvalidWebhookException(string field, string message)
    : PermanentFailureException(WebhookRejectReasons.InvalidPayload, $"Invalid webhook: {message}")
{
    public string Field { get; } = field;
}
