using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Sandbox.Emulators.Aws;

/// <summary>
/// AWS STS <c>AssumeRoleWithWebIdentity</c> over the Query protocol (form POST to <c>/</c>, as AWSSDK.SecurityToken sends
/// it), answering XML or <c>ErrorResponse</c>. The web-identity token is verified against its issuer's JWKS, then the
/// role's trust policy (aud StringEquals, sub StringLike) and duration bounds are applied. Faults are injected by code:
/// the next few requests (<see cref="FailNext"/>), or a seeded share of them (<see cref="FailAtRandom"/>).
/// </summary>
public sealed partial class StsEmulator : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, StsRole> roles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<JsonObject>> providers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> faults = new();
    private readonly ConcurrentQueue<StsCall> calls = new();
    private readonly ChangeSignal changed = new();
    private readonly TimeProvider time;
    private readonly Lock randomGate = new();
    private Random random = new(0);
    private (string Code, double Share)? randomFault;

    private StsEmulator(WebApplication app, TimeProvider time)
    {
        this.app = app;
        this.time = time;
        ServiceUrl = EmulatorHost.BoundAddress(app).ToString().TrimEnd('/');
    }

    /// <summary>The endpoint to give the SDK as <c>ServiceURL</c>.</summary>
    public string ServiceUrl { get; }

    public IReadOnlyList<StsCall> Calls => [.. calls];

    public IReadOnlyList<StsIssuedCredentials> Issued => [.. calls.Select(c => c.Issued).OfType<StsIssuedCredentials>()];

    public static async Task<StsEmulator> StartAsync(int port = 0, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        StsEmulator? emulator = null;
        var app = await EmulatorHost.StartAsync(port, LogLevel.Warning, web =>
            web.MapPost("/", (Delegate)((HttpContext context) => emulator!.HandleAsync(context))), cancellationToken);
        emulator = new StsEmulator(app, time ?? TimeProvider.System);
        return emulator;
    }

    /// <summary>Registers an OIDC identity provider (an IAM OIDC provider): its issuer and where its keys come from.</summary>
    public void TrustProvider(string issuer, Func<JsonObject> jwks) => providers[issuer.TrimEnd('/')] = jwks;

    public void AddRole(StsRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        roles[role.Arn] = role;
    }

    /// <summary>The next <paramref name="count"/> requests are answered with the error <paramref name="code"/>.</summary>
    public void FailNext(string code, int count = 1)
    {
        _ = StsError.Injected(code);
        for (var i = 0; i < count; i++)
        {
            faults.Enqueue(code);
        }
    }

    /// <summary>
    /// From now on a share of the well-formed requests (one draw each from <c>new Random(seed)</c>) is answered with the
    /// error <paramref name="code"/>, as STS answers when it cannot reach the identity provider; 0 stops it. Queued faults
    /// (<see cref="FailNext"/>) and malformed requests (ValidationError) are answered first.
    /// </summary>
    public void FailAtRandom(int seed, string code, double share)
    {
        _ = StsError.Injected(code);
        ArgumentOutOfRangeException.ThrowIfLessThan(share, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(share, 1.0);
        lock (randomGate)
        {
            random = new Random(seed);
            randomFault = share > 0 ? (code, share) : null;
        }
    }

    public Task WaitForAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        changed.WaitForAsync(condition, timeout, cancellationToken);

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
        string? Field(string name) => form is not null && form.TryGetValue(name, out var v) ? v.ToString() : null;
        var policyArns = new List<string>();
        for (var n = 1; Field($"PolicyArns.member.{n}.arn") is { } arn; n++)
        {
            policyArns.Add(arn);
        }

        int? duration = int.TryParse(Field("DurationSeconds"), NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : null;
        var (error, issued, audience, provider, subject) = await AssumeAsync(Field, duration, Field("WebIdentityToken"));
        calls.Enqueue(new StsCall(
            Field("Action"), Field("RoleArn"), Field("RoleSessionName"), duration, Field("Policy"), policyArns, subject,
            Attempt(context.Request.Headers["amz-sdk-request"].ToString()), error?.Code, issued, time.GetUtcNow()));
        changed.Notify();
        return error is not null ? StsResponses.Error(error, requestId) : StsResponses.Success(issued!, audience!, provider!, requestId);
    }

    private async Task<(StsError? Error, StsIssuedCredentials? Issued, string? Audience, string? Provider, string? Subject)> AssumeAsync(
        Func<string, string?> field, int? duration, string? token)
    {
        if (field("Action") != "AssumeRoleWithWebIdentity" || field("Version") != "2011-06-15")
        {
            return (new StsError("InvalidAction", $"Could not find operation {field("Action")} for version {field("Version")}", 400), null, null, null, null);
        }

        if (faults.TryDequeue(out var fault))
        {
            return (StsError.Injected(fault), null, null, null, null);
        }

        if (Validate(field, duration) is { } invalid)
        {
            return (invalid, null, null, null, null);
        }

        if (DrawRandomFault() is { } drawn)
        {
            return (StsError.Injected(drawn), null, null, null, null);
        }

        var (tokenError, claims) = await VerifyTokenAsync(token!);
        if (tokenError is not null)
        {
            return (tokenError, null, null, null, claims?.Subject);
        }

        var issuer = claims!.Issuer.TrimEnd('/');
        var audience = claims.GetPayloadValue<string>("aud");
        if (!roles.TryGetValue(field("RoleArn")!, out var role) || role.Issuer.TrimEnd('/') != issuer
            || !string.Equals(role.Audience, audience, StringComparison.Ordinal) || !StringLike.Matches(role.SubjectPattern, claims.Subject))
        {
            return (StsError.AccessDenied(), null, null, null, claims.Subject);
        }

        if (duration > role.MaxSessionDurationSeconds)
        {
            return (StsError.Validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role."), null, null, null, claims.Subject);
        }

        var sessionName = field("RoleSessionName")!;
        var arn = role.Arn.Split(':');
        var issued = new StsIssuedCredentials(
            "ASIA" + RandomText(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
            RandomText(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+"),
            "FQoGZXIvYXdz" + RandomText(120, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+"),
            time.GetUtcNow().AddSeconds(duration ?? 3600),
            role.Arn,
            claims.Subject,
            $"arn:aws:sts::{arn[4]}:assumed-role/{arn[5]["role/".Length..]}/{sessionName}");
        return (null, issued, audience, issuer[(issuer.IndexOf("://", StringComparison.Ordinal) + 3)..], claims.Subject);
    }

    private string? DrawRandomFault()
    {
        lock (randomGate)
        {
            return randomFault is { } fault && random.NextDouble() < fault.Share ? fault.Code : null;
        }
    }

    private static StsError? Validate(Func<string, string?> field, int? duration)
    {
        var errors = new List<string>();
        var roleArn = field("RoleArn");
        if (roleArn is null || roleArn.Length is < 20 or > 2048)
        {
            errors.Add($"Value '{roleArn}' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20");
        }

        var session = field("RoleSessionName");
        if (session is null || session.Length is < 2 or > 64 || !SessionName().IsMatch(session))
        {
            errors.Add($"Value '{session}' at 'roleSessionName' failed to satisfy constraint: Member must have length between 2 and 64 and match [\\w+=,.@-]*");
        }

        if (duration is < 900 or > 43200 || (field("DurationSeconds") is not null && duration is null))
        {
            errors.Add($"Value '{field("DurationSeconds")}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200");
        }

        var token = field("WebIdentityToken");
        if (token is null || token.Length is < 4 or > 20000)
        {
            errors.Add("Value at 'webIdentityToken' failed to satisfy constraint: Member must have length between 4 and 20000");
        }

        var policy = field("Policy");
        if (policy is not null && (policy.Length is < 1 or > 2048 || policy.Any(c => c is not ('\t' or '\n' or '\r') && (c < ' ' || c > '\u00FF'))))
        {
            errors.Add("Value at 'policy' failed to satisfy constraint: Member must have length between 1 and 2048 of [\\u0009\\u000A\\u000D\\u0020-\\u00FF]");
        }

        if (errors.Count > 0)
        {
            return StsError.Validation($"{errors.Count} validation error{(errors.Count == 1 ? string.Empty : "s")} detected: {string.Join("; ", errors)}");
        }

        if (policy is not null && !IsPolicyDocument(policy))
        {
            return StsError.MalformedPolicy("Syntax errors in policy.");
        }

        return null;
    }

    private static bool IsPolicyDocument(string policy)
    {
        try
        {
            return JsonNode.Parse(policy) is JsonObject document && document["Statement"] is JsonArray or JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async Task<(StsError? Error, JsonWebToken? Claims)> VerifyTokenAsync(string token)
    {
        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(token))
        {
            return (StsError.InvalidIdentityToken("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)"), null);
        }

        var jwt = handler.ReadJsonWebToken(token);
        if (!providers.TryGetValue(jwt.Issuer.TrimEnd('/'), out var jwks))
        {
            return (StsError.InvalidIdentityToken($"No OpenIDConnect provider found in your account for {jwt.Issuer}"), jwt);
        }

        var result = await handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            ValidateAudience = false,
            IssuerSigningKeys = new JsonWebKeySet(jwks().ToJsonString()).GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } e && e.ToUniversalTime() > time.GetUtcNow().UtcDateTime.AddSeconds(-30)
                && (notBefore is not { } n || n.ToUniversalTime() <= time.GetUtcNow().UtcDateTime.AddSeconds(30)),
        });
        if (result.IsValid)
        {
            return (null, jwt);
        }

        return result.Exception is SecurityTokenInvalidLifetimeException && jwt.ValidTo <= time.GetUtcNow().UtcDateTime
            ? (StsError.ExpiredToken(), jwt)
            : (StsError.InvalidIdentityToken("Couldn't verify the token's signature with the provider's keys"), jwt);
    }

    private static int? Attempt(string header)
    {
        var match = AttemptHeader().Match(header);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static string RandomText(int length, string alphabet) => RandomNumberGenerator.GetString(alphabet, length);

    [GeneratedRegex(@"^[\w+=,.@-]*$")]
    private static partial Regex SessionName();

    [GeneratedRegex(@"attempt=(\d+)")]
    private static partial Regex AttemptHeader();
}
