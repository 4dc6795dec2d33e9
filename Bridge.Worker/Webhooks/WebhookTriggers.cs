using System.Security.Cryptography;
using System.Text;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Triggers;

namespace Bridge.Worker.Webhooks;

/// <summary>One change of a webhook delivery as the worker's trigger model.</summary>
internal static class WebhookTriggers
{
    /// <param name="requestUuid">The delivery's <c>X-Request-UUID</c>.</param>
    /// <param name="eventKey">The delivery's <c>X-Event-Key</c>.</param>
    /// <param name="receivedAt">When the ingress received the delivery.</param>
    public static Trigger From(string requestUuid, string eventKey, DateTimeOffset receivedAt, WebhookPayload payload, WebhookChange change)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(change);
        var request = BitbucketUuid.TryParse(requestUuid, out var uuid) ? uuid.Bare : requestUuid.Trim().ToLowerInvariant();
        return new Trigger
        {
            Id = Id(request, change),
            Kind = change.Kind,
            Workspace = payload.Workspace,
            Repository = payload.Repository,
            Commit = change.Commit,
            Ref = change.Ref,
            PullRequestId = change.PullRequestId,
            OccurredAt = receivedAt,
            Origin = new WebhookOrigin(request, eventKey),
        };
    }

    /// <summary>The same delivery, ref and commit (as delivered) always give the same id, so a redelivered webhook finds its runs again.</summary>
    private static Guid Id(string request, WebhookChange change)
    {
        var identity = $"webhook|{request}|{change.Ref.Type}|{change.Ref.Name}|{change.Commit.ToLowerInvariant()}";
        return new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(identity)).AsSpan(0, 16));
    }
}
