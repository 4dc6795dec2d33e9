using Bridge.Contracts;
using Bridge.Worker.Ingress;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Webhooks;

/// <summary>
/// <c>POST /v1/webhooks/bitbucket</c>: a Bitbucket webhook delivery. In order: size (413), the hook and its
/// <c>X-Hub-Signature</c> (401), the headers and body (400; an event key Bridge does not read is acknowledged and
/// dropped), the workspace against the allow-list (403), the repository's rate limit (429), then the delivery is queued as received and answered 202 once the
/// broker confirmed it (503 without).
/// </summary>
internal sealed class WebhookIngress(
    WebhookSignatures hooks,
    WebhookWorkspaces workspaces,
    IngressRateLimiter limiter,
    ConfirmedSender sender,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookIngress> logger)
{
    public async Task<IResult> AcceptAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = options.Value.MaxBodyBytes;
        var body = await RequestBody.ReadAsync(request, limit, cancellationToken);
        if (body is null)
        {
            logger.LogWarning("Refused a webhook delivery larger than {Limit} bytes", limit);
            return IngressProblems.TooLarge(limit);
        }

        var headers = request.Headers;
        var hookUuid = Header(headers, "X-Hook-UUID");
        var requestUuid = Header(headers, "X-Request-UUID");
        var eventKey = Header(headers, "X-Event-Key");
        var signature = Header(headers, "X-Hub-Signature");
        if (hooks.Verify(hookUuid, body, signature) is { } refused)
        {
            logger.LogWarning("Refused webhook delivery {WebhookRequest} ({EventKey}): {Why}", requestUuid, eventKey, refused.Why);
            return IngressProblems.WebhookRefused(refused);
        }

        if (requestUuid is null || eventKey is null)
        {
            return IngressProblems.WebhookInvalid(requestUuid is null ? "X-Request-UUID" : "X-Event-Key", "Bitbucket sends X-Request-UUID and X-Event-Key with every delivery; both are required.");
        }

        if (!WebhookPayload.EventKeys.Contains(eventKey))
        {
            logger.LogInformation("Webhook delivery {WebhookRequest}: event {EventKey} is not one Bridge reads; acknowledged and dropped", requestUuid, eventKey);
            return Answer(requestUuid, eventKey, queued: false, $"Bridge reads {string.Join(" and ", WebhookPayload.EventKeys)} only; nothing was queued.");
        }

        var (parsed, invalid) = WebhookPayload.Read(eventKey, body);
        if (parsed is null)
        {
            logger.LogWarning("Refused webhook delivery {WebhookRequest} ({EventKey}): {Why}", requestUuid, eventKey, invalid!.Why);
            return IngressProblems.WebhookInvalid(invalid.Field, invalid.Why);
        }

        var (payload, notAllowed) = workspaces.Check(parsed);
        if (notAllowed is not null || payload is null)
        {
            logger.LogWarning("Refused webhook delivery {WebhookRequest} ({EventKey}): {Why}", requestUuid, eventKey, notAllowed?.Why);
            return IngressProblems.Rejected(notAllowed!);
        }

        var repository = payload.Repository.FullName;
        var (allowed, retryAfter) = limiter.TryAcquire(repository);
        if (!allowed)
        {
            logger.LogWarning("Refused webhook delivery {WebhookRequest} of {Repository}: rate limit", requestUuid, repository);
            return IngressProblems.TooMany(repository, retryAfter);
        }

        var delivery = new BitbucketWebhookDelivery
        {
            RequestUuid = requestUuid,
            HookUuid = hookUuid!,
            EventKey = eventKey,
            Signature = signature!,
            AttemptNumber = int.TryParse(Header(headers, "X-Attempt-Number"), out var attempt) ? attempt : null,
            Body = Convert.ToBase64String(body),
            ReceivedAt = time.GetUtcNow(),
        };
        if (!await sender.SendAsync(delivery, options.Value.Queue, requestUuid, cancellationToken))
        {
            return IngressProblems.Unavailable("The broker did not confirm the delivery; Bitbucket will retry it.");
        }

        logger.LogInformation(
            "Queued webhook delivery {WebhookRequest} ({EventKey} of {Repository}, attempt {Attempt}) with {ChangeCount} change(s)",
            requestUuid, eventKey, repository, delivery.AttemptNumber, payload.Changes.Count);
        return Answer(requestUuid, eventKey, queued: true, null);
    }

    private static IResult Answer(string requestUuid, string eventKey, bool queued, string? detail) => Results.Json(
        new WebhookAccepted { RequestUuid = requestUuid, EventKey = eventKey, Queued = queued, Detail = detail },
        IngressJsonContext.Default.WebhookAccepted,
        statusCode: StatusCodes.Status202Accepted);

    private static string? Header(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value.ToString()) ? value.ToString().Trim() : null;
}
