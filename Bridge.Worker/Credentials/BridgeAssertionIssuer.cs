using System.Text.Json.Nodes;
using Bridge.Worker.Bitbucket;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Worker.Credentials;

/// <summary>
/// Bridge as a small token-exchange issuer: after the step token is verified, it signs a short-lived client assertion
/// whose subject is stable per repository and route, and it describes itself with an OIDC discovery document and JWKS
/// so that Entra can trust it.
/// </summary>
internal sealed class BridgeAssertionIssuer(IOptions<CredentialsOptions> options, TimeProvider time)
{
    private readonly Lazy<List<RsaSecurityKey>> keys = new(() =>
    {
        var (loaded, errors) = IssuerKeys.Load(options.Value.Issuer.SigningKeyFiles);
        return errors.Count == 0 && loaded.Count > 0
            ? loaded
            : throw new InvalidOperationException($"{CredentialsOptions.Section}:Issuer:SigningKeyFiles: {string.Join("; ", errors.DefaultIfEmpty("no key file given"))}");
    });

    private IssuerOptions Settings => options.Value.Issuer;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Settings.Url) && Settings.SigningKeyFiles.Count > 0;

    public string Issuer => (Settings.Url ?? throw new InvalidOperationException($"{CredentialsOptions.Section}:Issuer:Url is not set")).TrimEnd('/');

    /// <summary><c>bitbucket:{workspaceUuid}:{repositoryUuid}:{route}</c>, UUIDs without braces, lower case.</summary>
    public static string Subject(string workspaceUuid, string repositoryUuid, string route) =>
        $"bitbucket:{Bare(workspaceUuid)}:{Bare(repositoryUuid)}:{route}";

    /// <summary>An RS256 assertion for <paramref name="subject"/>, valid for <c>AssertionLifetime</c>.</summary>
    public string Sign(string subject, IReadOnlyDictionary<string, object> claims)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var all = new Dictionary<string, object>(claims, StringComparer.Ordinal)
        {
            ["sub"] = subject,
            ["jti"] = Guid.NewGuid().ToString(),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Settings.Audience,
            Claims = all,
            IssuedAt = now,
            NotBefore = now.AddMinutes(-1),
            Expires = now.Add(Settings.AssertionLifetime),
            SigningCredentials = new SigningCredentials(keys.Value[0], SecurityAlgorithms.RsaSha256),
        });
    }

    public string DiscoveryPath => new Uri(Issuer + "/.well-known/openid-configuration").AbsolutePath;

    public string JwksPath => new Uri(JwksUri).AbsolutePath;

    private string JwksUri => Issuer + "/.well-known/jwks.json";

    public JsonObject Discovery() => new()
    {
        ["issuer"] = Issuer,
        ["jwks_uri"] = JwksUri,
        ["response_types_supported"] = new JsonArray("id_token"),
        ["subject_types_supported"] = new JsonArray("public"),
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        ["claims_supported"] = new JsonArray("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "workspaceUuid", "repositoryUuid", "route"),
    };

    /// <summary>Every configured key's public part: the signing key and the ones kept during a rotation.</summary>
    public JsonObject Jwks()
    {
        var array = new JsonArray();
        foreach (var key in keys.Value)
        {
            var parameters = key.Rsa.ExportParameters(false);
            array.Add(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = key.KeyId,
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            });
        }

        return new JsonObject { ["keys"] = array };
    }

    private static string Bare(string uuid) => BitbucketUuid.TryParse(uuid, out var parsed) ? parsed.Bare : uuid.ToLowerInvariant();
}
