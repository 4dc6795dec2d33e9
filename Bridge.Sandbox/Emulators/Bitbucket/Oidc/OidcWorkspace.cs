using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// A workspace's Pipelines OIDC issuer: its signing keys (rotation keeps retired-to-be keys published until
/// <see cref="Retire"/>), and tokens minted with Bitbucket's claim set and <c>sub</c> format. Thread-safe. An emulator
/// hosts it at <c>/2.0/workspaces/{slug}/pipelines-config/identity/oidc</c>; one instance may be hosted by several
/// emulators (the sandbox's sample workspace is).
/// </summary>
public sealed class OidcWorkspace
{
    private readonly Lock gate = new();
    private readonly List<SigningKey> published = [];
    private readonly TimeProvider time;
    private SigningKey current;
    private int generation;

    /// <param name="issuer">The issuer URL in <c>iss</c> and the discovery document.</param>
    public OidcWorkspace(string slug, string uuid, string issuer, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(slug);
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        if (!Guid.TryParse(uuid.Trim('{', '}'), out _) || !uuid.StartsWith('{') || !uuid.EndsWith('}'))
        {
            throw new ArgumentException($"The workspace UUID must be brace-wrapped, e.g. {{922e118c-…}} (got '{uuid}').", nameof(uuid));
        }

        Slug = slug;
        Uuid = uuid;
        Issuer = issuer.TrimEnd('/');
        this.time = time ?? TimeProvider.System;
        current = NewKey();
        published.Add(current);
    }

    public string Slug { get; }

    public string Uuid { get; }

    public string Issuer { get; }

    /// <summary><c>ari:cloud:bitbucket::workspace/{uuid without braces}</c>.</summary>
    public string DefaultAudience => $"ari:cloud:bitbucket::workspace/{Uuid.Trim('{', '}')}";

    /// <summary>The key new tokens are signed with.</summary>
    public SigningKey CurrentKey
    {
        get
        {
            lock (gate)
            {
                return current;
            }
        }
    }

    /// <summary>The kids in <c>keys.json</c>, oldest first.</summary>
    public IReadOnlyList<string> PublishedKids
    {
        get
        {
            lock (gate)
            {
                return [.. published.Select(k => k.Kid)];
            }
        }
    }

    /// <summary>Signs with a new key from now on; the previous key stays published until <see cref="Retire"/>.</summary>
    public string Rotate()
    {
        lock (gate)
        {
            current = NewKey();
            published.Add(current);
            return current.Kid;
        }
    }

    /// <summary>Stops publishing a key (never the current one).</summary>
    public void Retire(string kid)
    {
        lock (gate)
        {
            if (current.Kid == kid)
            {
                throw new InvalidOperationException("The current signing key cannot be retired; rotate first.");
            }

            published.RemoveAll(k => k.Kid == kid);
        }
    }

    /// <summary>A step token signed RS256 with the current key.</summary>
    public string Mint(StepToken step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var issuedAt = step.IssuedAt ?? time.GetUtcNow();
        var subject = step.DeploymentEnvironmentUuid is { } env
            ? $"{step.RepositoryUuid}:{env}:{step.StepUuid}"
            : $"{step.RepositoryUuid}:{step.StepUuid}";
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["sub"] = subject,
            ["workspaceUuid"] = step.WorkspaceUuid ?? Uuid,
            ["repositoryUuid"] = step.RepositoryUuid,
            ["pipelineUuid"] = step.PipelineUuid,
            ["stepUuid"] = step.StepUuid,
        };
        if (step.BranchName is { } branch)
        {
            claims["branchName"] = branch;
        }

        if (step.DeploymentEnvironmentUuid is { } environment)
        {
            claims["deploymentEnvironmentUuid"] = environment;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = step.Issuer ?? Issuer,
            Audience = step.Audience ?? DefaultAudience,
            Claims = claims,
            IssuedAt = issuedAt.UtcDateTime,
            Expires = (step.ExpiresAt ?? issuedAt.AddHours(1)).UtcDateTime,
            NotBefore = step.NotBefore?.UtcDateTime,
            SigningCredentials = new SigningCredentials(CurrentKey.SecurityKey, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>The JWKS document (<c>keys.json</c>).</summary>
    public JsonObject Jwks()
    {
        List<SigningKey> keys;
        lock (gate)
        {
            keys = [.. published];
        }

        var array = new JsonArray();
        foreach (var key in keys)
        {
            var parameters = key.PublicParameters;
            array.Add(new JsonObject
            {
                ["kty"] = "RSA",
                ["kid"] = key.Kid,
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            });
        }

        return new JsonObject { ["keys"] = array };
    }

    private SigningKey NewKey() =>
        new($"{Interlocked.Increment(ref generation).ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");

    internal static IReadOnlyList<string> ClaimsSupported { get; } =
    [
        "sub", "iss", "aud", "exp", "iat", "branchName", "compliant", "deploymentEnvironmentUuid", "pipelineUuid",
        "repositoryUuid", "stepUuid", "workspaceUuid",
    ];
}
