using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Contracts;
using Bridge.Worker.Identity;
using Bridge.Worker.Ingress;
using Bridge.Worker.PipelineEvents;
using Bridge.Worker.Queue;
using Bridge.Worker.Triggers;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.PipelineEvents;

/// <summary>
/// <c>POST /v1/events</c>: a <c>PipelineEvent</c> with the step token as the bearer token. The event is checked as
/// the consumer checks it, sent to the worker's queue, and answered 202 only once the broker confirmed it. In order:
/// bearer token present (401), size (413), JSON and fields (400), admission as the consumer admits it — token, route
/// allow rules, commit against the pipeline record (401/403) — the repository's rate limit (429), the broker's confirm
/// (503 without it).
/// </summary>
internal sealed class EventIngress(
    TriggerAdmission admission,
    IngressRateLimiter limiter,
    ConfirmedSender sender,
    IOptions<IngressOptions> options,
    IOptions<BrokerOptions> broker,
    IOptions<Bitbucket.BitbucketOptions> bitbucket,
    TimeProvider time,
    ILogger<EventIngress> logger)
{
    public async Task<IResult> AcceptAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = BearerToken(request);
        if (token is null)
        {
            return IngressProblems.Unauthenticated(IngressProblems.MissingToken, "Send the step's BITBUCKET_STEP_OIDC_TOKEN as 'Authorization: Bearer …'.");
        }

        var limit = options.Value.MaxBodyBytes;
        var body = await RequestBody.ReadAsync(request, limit, cancellationToken);
        if (body is null)
        {
            logger.LogWarning("Refused an event body larger than {Limit} bytes", limit);
            return IngressProblems.TooLarge(limit);
        }

        var (message, problem) = Parse(body, token);
        if (problem is not null)
        {
            return problem;
        }

        var errors = PipelineEventValidator.Validate(message);
        if (errors.Count > 0)
        {
            return IngressProblems.Invalid(errors);
        }

        var eventId = EventIds.Of(message!);
        message = message! with { EventId = eventId };
        return await AdmitAndQueueAsync(message, eventId, cancellationToken);
    }

    private async Task<IResult> AdmitAndQueueAsync(PipelineEvent message, Guid eventId, CancellationToken cancellationToken)
    {
        AdmissionVerdict verdict;
        try
        {
            verdict = await admission.AdmitAsync(PipelineEventTriggers.From(message), time.GetUtcNow(), cancellationToken);
        }
        catch (UpstreamUnavailableException unavailable)
        {
            logger.LogWarning("Could not check event {EventId}: {Upstream} is unavailable", eventId, unavailable.Upstream);
            return IngressProblems.Unavailable($"{unavailable.Upstream} is unavailable; retry later.");
        }

        if (verdict is not Admitted admitted)
        {
            var rejected = verdict as Rejection ?? ((ExpiredInQueue)verdict).Rejection;
            logger.LogWarning(
                "Refused event {EventId} of {Repository} at the ingress: {Reason}: {Why}", eventId, message.Repository.FullName, rejected.Reason, rejected.Why);
            return IngressProblems.Rejected(rejected);
        }

        // Counted once the event is admitted, so that forged requests naming a repository cannot use up its permits.
        var repository = message.Repository.FullName;
        var (allowed, retryAfter) = limiter.TryAcquire(repository);
        if (!allowed)
        {
            logger.LogWarning("Refused event {EventId} of {Repository}: rate limit", eventId, repository);
            return IngressProblems.TooMany(repository, retryAfter);
        }

        if (!await sender.SendAsync(message, broker.Value.Queue, eventId.ToString(), cancellationToken))
        {
            return IngressProblems.Unavailable("The broker did not confirm the event; retry later.");
        }

        logger.LogInformation(
            "Queued event {EventId} ({Kind} {Ref} of {Repository} at {Commit}) from the ingress for {RouteCount} route(s)",
            eventId, message.Kind, message.Ref.Name, message.Repository.FullName, message.Commit, admitted.Routes.Count);
        var accepted = new AcceptedEvent { EventId = eventId, Routes = [.. admitted.Routes.Select(r => Accepted(message, r))] };
        return Results.Json(accepted, IngressJsonContext.Default.AcceptedEvent, statusCode: StatusCodes.Status202Accepted);
    }

    private AcceptedRoute Accepted(PipelineEvent message, Routing.RouteDefinition route)
    {
        var key = route.StatusKey;
        return new AcceptedRoute
        {
            Route = route.Name,
            Deployment = route.Deployment,
            StatusKey = key,
            StatusName = route.StatusName,
            StatusUrl = $"{bitbucket.Value.ApiUrl.TrimEnd('/')}/repositories/{message.Repository.FullName}/commit/{message.Commit}/statuses/build/{key}",
        };
    }

    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && header.Length > Scheme.Length
            ? header[Scheme.Length..].Trim()
            : null;
    }

    private static (PipelineEvent? Message, IResult? Problem) Parse(byte[] body, string token)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("The body is not a JSON object.");
        }
        catch (JsonException)
        {
            return (null, IngressProblems.BadRequest("$", "The body is not a JSON object."));
        }

        if (json.TryGetPropertyValue("oidcToken", out var inBody) && inBody is not null
            && (inBody.GetValueKind() != JsonValueKind.String || inBody.GetValue<string>() != token))
        {
            return (null, IngressProblems.BadRequest("oidcToken", "oidcToken, when present, must be the bearer token; leave it out."));
        }

        json["oidcToken"] = token;
        try
        {
            return (json.Deserialize(IngressJsonContext.Default.PipelineEvent), null);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
            return (null, IngressProblems.BadRequest(field, $"{field}: {ex.Message}"));
        }
    }
}
