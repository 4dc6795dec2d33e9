namespace Bridge.Sandbox.Emulators.Aws;

/// <summary>An STS error as the service answers it: the <c>ErrorResponse</c> code, message and HTTP status.</summary>
public sealed record StsError(string Code, string Message, int StatusCode)
{
    public string Type => StatusCode >= 500 ? "Receiver" : "Sender";

    public static StsError AccessDenied() => new("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity", 403);

    public static StsError InvalidIdentityToken(string why) => new("InvalidIdentityToken", why, 400);

    public static StsError ExpiredToken() => new("ExpiredTokenException", "Token expired: current date/time is later than the token's expiration", 400);

    public static StsError Validation(string why) => new("ValidationError", why, 400);

    public static StsError MalformedPolicy(string why) => new("MalformedPolicyDocument", why, 400);

    /// <summary>The faults tests inject by code.</summary>
    public static StsError Injected(string code) => code switch
    {
        "IDPCommunicationError" => new(code, "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements", 400),
        "Throttling" => new(code, "Rate exceeded", 400),
        "InternalFailure" => new(code, "An internal error occurred", 500),
        "ServiceUnavailable" => new(code, "Service unavailable", 503),
        "AccessDenied" => AccessDenied(),
        "InvalidIdentityToken" => InvalidIdentityToken("Incorrect token audience"),
        "ExpiredTokenException" => ExpiredToken(),
        _ => throw new ArgumentException($"No injectable STS fault '{code}'; use IDPCommunicationError, Throttling, InternalFailure, ServiceUnavailable, AccessDenied, InvalidIdentityToken or ExpiredTokenException.", nameof(code)),
    };
}
