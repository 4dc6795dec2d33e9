namespace Bridge.Worker.Webhooks;

/// <summary>One Bitbucket webhook: its UUID (<c>X-Hook-UUID</c>) and the secret entered when it was created. The secret is never logged.</summary>
internal sealed class WebhookHookOptions
{
    public string Uuid { get; set; } = string.Empty;

    public string Secret { get; set; } = string.Empty;
}
