using System.Text.Json;
using Bridge.Worker.Ingress;
using Bridge.Worker.PipelineEvents;
using RabbitMQ.Client;

namespace Bridge.Worker.Redrive;

/// <summary>
/// What redrive reads of one message in <c>{queue}_error</c>: what it is (<see cref="Subject"/>: the event id, or the
/// webhook delivery's), its repository, the reasons its headers give, when it died and the expiry of the pipeline token
/// inside (read, never verified; the token itself is not kept).
/// </summary>
internal sealed record DeadLetter(
    string Subject, string? Repository, IReadOnlyList<string> Reasons, DateTimeOffset? DiedAt, string? DiedAtSource, DateTimeOffset? TokenExpiresAt)
{
    public const string NoReason = "(no reason header)";

    /// <summary>The first of <c>Bridge-Failure-Reason</c>, <c>Bridge-Reject-Reason</c> and <c>x-first-death-reason</c>.</summary>
    public string Reason => Reasons.Count > 0 ? Reasons[0] : NoReason;

    public static DeadLetter Read(IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var reasons = DeadLetterHeaders.ReasonHeaders
            .Select(header => DeadLetterHeaders.Text(properties.Headers, header))
            .OfType<string>()
            .Where(reason => reason.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var died = DeadLetterHeaders.DiedAt(properties.Headers);
        var (subject, repository, token) = Content(body);
        return new DeadLetter(subject, repository, reasons, died?.At, died?.Source, TokenExpiry.Of(token));
    }

    /// <summary>The body as the consumer reads it: a <c>PipelineEvent</c>, plain or in a MassTransit envelope.</summary>
    private static (string Subject, string? Repository, string? Token) Content(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var inner) && inner.ValueKind == JsonValueKind.Object)
            {
                root = inner;
            }

            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("requestUuid", out var request) && request.ValueKind == JsonValueKind.String)
            {
                return ($"delivery {request.GetString()}", null, null);
            }

            var message = root.Deserialize(IngressJsonContext.Default.PipelineEvent);
            return message is { Repository: not null, Ref: not null }
                ? ($"event {EventIds.Of(message)}", message.Repository.FullName, message.OidcToken)
                : ("event (unreadable)", null, null);
        }
        catch (JsonException)
        {
            return ("event (unreadable)", null, null);
        }
    }
}
