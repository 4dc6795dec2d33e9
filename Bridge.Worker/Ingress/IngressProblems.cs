using Bridge.Worker.Identity;
using Bridge.Worker.Triggers;

namespace Bridge.Worker.Ingress;

/// <summary>The ingress's <c>application/problem+json</c> answers. None ever carries the token.</summary>
internal static class IngressProblems
{
    /// <summary>Reasons that say the token itself is not good (401); every other rejection is a refusal (403).</summary>
    private static readonly HashSet<string> TokenReasons =
    [
        RejectReasons.TokenMalformed, RejectReasons.AlgNone, RejectReasons.AlgNotAllowed, RejectReasons.UnknownKid,
        RejectReasons.BadSignature, RejectReasons.Expired, RejectReasons.ExpiredInQueue, RejectReasons.NotYetValid,
        RejectReasons.WrongIssuer, RejectReasons.WrongAudience,
    ];

    public const string MissingToken = "missing-token";

    public static IResult BadRequest(string field, string detail) =>
        Problem(StatusCodes.Status400BadRequest, "The event is not valid", detail, "invalid-event", new() { ["field"] = field });

    public static IResult Invalid(IReadOnlyList<string> errors) =>
        Problem(StatusCodes.Status400BadRequest, "The event is not valid", string.Join("; ", errors), "invalid-event", new() { ["errors"] = errors });

    public static IResult Unauthenticated(string reason, string detail) =>
        Problem(StatusCodes.Status401Unauthorized, "The step token was not accepted", detail, reason, []);

    public static IResult Rejected(Rejection rejection) => TokenReasons.Contains(rejection.Reason)
        ? Unauthenticated(rejection.Reason, rejection.Why)
        : Problem(StatusCodes.Status403Forbidden, "The event may not trigger its routes", rejection.Why, rejection.Reason, []);

    /// <summary>An unknown hook, a missing or wrong <c>X-Hub-Signature</c>: 401, never with the secret or the signature.</summary>
    public static IResult WebhookRefused(Rejection rejection) =>
        Problem(StatusCodes.Status401Unauthorized, "The webhook was not accepted", rejection.Why, rejection.Reason, []);

    public static IResult WebhookInvalid(string field, string detail) =>
        Problem(StatusCodes.Status400BadRequest, "The webhook is not valid", detail, "invalid-webhook", new() { ["field"] = field });

    public static IResult TooLarge(int limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "The body is too large", $"The body exceeds {limit} bytes.", "too-large", []);

    public static IResult TooMany(string repository, TimeSpan? retryAfter) => Problem(
        StatusCodes.Status429TooManyRequests,
        "Too many events from this repository",
        $"Repository {repository} has sent more events than the ingress accepts per window; retry later.",
        "rate-limited",
        retryAfter is { } wait ? new() { ["retryAfterSeconds"] = (int)Math.Ceiling(wait.TotalSeconds) } : []);

    public static IResult NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, "No such event", detail, "not-found", []);

    public static IResult Unavailable(string detail) =>
        Problem(StatusCodes.Status503ServiceUnavailable, "The event could not be queued", detail, "unavailable", []);

    private static IResult Problem(int status, string title, string detail, string reason, Dictionary<string, object?> extensions)
    {
        extensions["reason"] = reason;
        return Results.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
    }
}
