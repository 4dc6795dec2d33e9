namespace Bridge.Worker.Webhooks;

/// <summary>Why a webhook delivery is refused (the problem's <c>reason</c>, the <c>Bridge-Reject-Reason</c> header, the metric tag).</summary>
internal static class WebhookRejectReasons
{
    public const string UnknownHook = "webhook-unknown-hook";
    public const string Unsigned = "webhook-unsigned";
    public const string BadSignature = "webhook-bad-signature";
    public const string InvalidPayload = "webhook-invalid-payload";
    public const string CommitNotFound = "webhook-commit-not-found";
}
