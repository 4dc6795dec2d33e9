using System.Security.Cryptography;
using System.Text;
using Bridge.Contracts;

namespace Bridge.Worker.Webhooks;

/// <summary>
/// A webhook change in the shape the router and dispatcher take. It has no pipeline, step, build number or token:
/// <c>PipelineUuid</c> holds <c>webhook:</c> and the delivery's <c>X-Request-UUID</c> (no pipeline event can, as theirs
/// must be a UUID in braces), <c>StepUuid</c> and <c>OidcToken</c> are empty and <c>BuildNumber</c> is 0.
/// </summary>
internal static class WebhookEvents
{
    private const string Marker = "webhook:";

    /// <param name="requestUuid">The delivery's <c>X-Request-UUID</c>.</param>
    /// <param name="receivedAt">When the ingress received the delivery.</param>
    public static PipelineEvent Of(string requestUuid, DateTimeOffset receivedAt, WebhookPayload payload, WebhookChange change, string commit)
    {
        var request = WebhookHooks.Normalize(requestUuid);
        return new PipelineEvent
        {
            EventId = EventId(request, change, commit),
            Kind = change.Kind,
            Workspace = payload.Workspace,
            Repository = payload.Repository,
            Commit = commit,
            Ref = change.Ref,
            PipelineUuid = Marker + request,
            StepUuid = string.Empty,
            BuildNumber = 0,
            PullRequestId = change.PullRequestId,
            OccurredAt = receivedAt,
            OidcToken = string.Empty,
        };
    }

    /// <summary>The delivery's <c>X-Request-UUID</c> when the event came from a webhook; null for a pipeline event.</summary>
    public static string? RequestUuid(PipelineEvent message) =>
        message.PipelineUuid.StartsWith(Marker, StringComparison.Ordinal) ? message.PipelineUuid[Marker.Length..] : null;

    /// <summary>The same delivery, ref and commit always give the same id, so a redelivered webhook finds its runs again.</summary>
    private static Guid EventId(string request, WebhookChange change, string commit)
    {
        var identity = $"webhook|{request}|{change.Ref.Type}|{change.Ref.Name}|{commit.ToLowerInvariant()}";
        return new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(identity)).AsSpan(0, 16));
    }
}
