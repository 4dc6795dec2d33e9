namespace Bridge.Contracts;

/// <summary>
/// Version 1 of a Bitbucket webhook delivery as the ingress queues it: the raw body exactly as received and the
/// headers that identify and sign it, so the worker can check the signature again before it acts on the delivery.
/// </summary>
/// <remarks>Only the ingress writes these; the worker refuses one whose signature does not match a configured hook's secret.</remarks>
public sealed record BitbucketWebhookDelivery
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    /// <summary><c>X-Request-UUID</c>: this delivery. Bitbucket sends it again with every retry of the same delivery.</summary>
    public required string RequestUuid { get; init; }

    /// <summary><c>X-Hook-UUID</c>: the webhook that sent it, which selects the secret.</summary>
    public required string HookUuid { get; init; }

    /// <summary><c>X-Event-Key</c>, such as <c>repo:push</c> or <c>pullrequest:fulfilled</c>.</summary>
    public required string EventKey { get; init; }

    /// <summary><c>X-Hub-Signature</c>: <c>sha256=</c> and the HMAC-SHA256 of the body in hex.</summary>
    public required string Signature { get; init; }

    /// <summary><c>X-Attempt-Number</c>, when Bitbucket sent it.</summary>
    public int? AttemptNumber { get; init; }

    /// <summary>The request body, byte for byte, in base64.</summary>
    public required string Body { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }
}
