namespace Bridge.Worker.Webhooks;

/// <summary>The 202 answer to a webhook delivery: whether it was queued, and why not when it was not.</summary>
internal sealed record WebhookAccepted
{
    public required string RequestUuid { get; init; }

    public required string EventKey { get; init; }

    public required bool Queued { get; init; }

    public string? Detail { get; init; }
}
