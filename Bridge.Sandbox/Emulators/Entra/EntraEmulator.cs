using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Sandbox.Emulators.Entra;

/// <summary>
/// Entra ID's v2.0 token endpoint (<c>POST /{tenant}/oauth2/v2.0/token</c>, client credentials with a JWT client assertion)
/// over HTTPS with a certificate generated at start. The assertion is verified against its issuer's JWKS (fetched through
/// the issuer's discovery document) and an app registration's federated credentials (issuer, subject, audience); errors
/// come in Entra's format (<c>error</c>, <c>AADSTSnnn</c> description, <c>error_codes</c>).
/// </summary>
public sealed class EntraEmulator : IAsyncDisposable
{
    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private readonly WebApplication app;
    private readonly X509Certificate2 certificate;
    private readonly ConcurrentDictionary<(string Tenant, string Client), FederatedCredential[]> applications = new();
    private readonly ConcurrentDictionary<string, string> metadata = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<EntraTokenCall> calls = new();
    private readonly ConcurrentQueue<int> faults = new();
    private readonly ChangeSignal changed = new();
    private readonly HttpClient http = new();
    private readonly TimeProvider time;

    private EntraEmulator(WebApplication app, X509Certificate2 certificate, TimeProvider time)
    {
        this.app = app;
        this.certificate = certificate;
        this.time = time;
        AuthorityHost = app.Urls.First().TrimEnd('/') + "/";
    }

    /// <summary>What to give Azure.Identity as AuthorityHost (https://127.0.0.1:port/).</summary>
    public string AuthorityHost { get; }

    /// <summary>The generated certificate's public PEM, for clients to trust.</summary>
    public string CertificatePem => EmulatorCertificate.PublicPem(certificate);

    public IReadOnlyList<EntraTokenCall> Calls => [.. calls];

    public static async Task<EntraEmulator> StartAsync(int port = 0, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var certificate = EmulatorCertificate.Create();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate)));
        builder.Services.AddRoutingCore();
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(console => console.SingleLine = true);
        var web = builder.Build();
        EntraEmulator? emulator = null;
        web.MapPost("/{tenant}/oauth2/v2.0/token", async context =>
        {
            var result = await emulator!.TokenAsync(context, (string)context.Request.RouteValues["tenant"]!);
            await result.ExecuteAsync(context);
        });
        await web.StartAsync(cancellationToken);
        emulator = new EntraEmulator(web, certificate, time ?? TimeProvider.System);
        return emulator;
    }

    /// <summary>An app registration in <paramref name="tenant"/> with its federated identity credentials.</summary>
    public void AddApplication(string tenant, string clientId, params FederatedCredential[] credentials) =>
        applications[(tenant, clientId)] = credentials;

    /// <summary>
    /// Where the discovery document of <paramref name="issuer"/> is served (<c>{metadataBase}/.well-known/openid-configuration</c>);
    /// its <c>jwks_uri</c> is fetched from the same host, as through a proxy. Absent: from the issuer URL itself.
    /// </summary>
    public void ResolveIssuer(string issuer, string metadataBase) => metadata[issuer.TrimEnd('/')] = metadataBase.TrimEnd('/');

    /// <summary>The next <paramref name="count"/> token requests are answered with <paramref name="statusCode"/> (no Retry-After).</summary>
    public void FailNext(int statusCode, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            faults.Enqueue(statusCode);
        }
    }

    public Task WaitForAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        changed.WaitForAsync(condition, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        http.Dispose();
        certificate.Dispose();
    }

    private async Task<IResult> TokenAsync(HttpContext context, string tenant)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
        string? Field(string name) => form is not null && form.TryGetValue(name, out var v) ? v.ToString() : null;
        JsonWebToken? jwt = null;
        string? accessToken = null;
        var error = await CheckAsync(tenant, Field, token => jwt = token, context.RequestAborted);
        if (error is null)
        {
            accessToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." + RandomNumberGenerator.GetHexString(64, lowercase: true);
        }

        calls.Enqueue(new EntraTokenCall(
            tenant, Field("client_id"), Field("scope"), jwt?.Issuer, jwt?.Subject, error?.Error, error?.Code, accessToken, time.GetUtcNow())
        {
            Assertion = Field("client_assertion"),
        });
        changed.Notify();
        if (error is not null)
        {
            return error.ToResult(time);
        }

        var body = new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["ext_expires_in"] = 3599, ["access_token"] = accessToken };
        return Results.Text(body.ToJsonString(), "application/json; charset=utf-8");
    }

    private async Task<EntraError?> CheckAsync(string tenant, Func<string, string?> field, Action<JsonWebToken> read, CancellationToken cancellationToken)
    {
        if (faults.TryDequeue(out var status))
        {
            return new EntraError("temporarily_unavailable", 50196, "The server is temporarily unavailable.", status);
        }

        if (field("grant_type") != "client_credentials")
        {
            return new EntraError("unsupported_grant_type", 70003, $"The app requested an unsupported grant type '{field("grant_type")}'.");
        }

        if (field("client_assertion_type") != AssertionType || field("client_assertion") is not { } assertion)
        {
            return new EntraError("invalid_request", 90014, "The request body must contain the following parameter: 'client_assertion'.");
        }

        if (string.IsNullOrEmpty(field("scope")))
        {
            return new EntraError("invalid_request", 90014, "The request body must contain the following parameter: 'scope'.");
        }

        if (!applications.Keys.Any(k => k.Tenant == tenant))
        {
            return new EntraError("invalid_request", 90002, $"Tenant '{tenant}' not found.");
        }

        var clientId = field("client_id") ?? string.Empty;
        if (!applications.TryGetValue((tenant, clientId), out var credentials))
        {
            return new EntraError("unauthorized_client", 700016, $"Application with identifier '{clientId}' was not found in the directory '{tenant}'.");
        }

        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(assertion))
        {
            return new EntraError("invalid_client", 50027, "JWT token is invalid or malformed.");
        }

        var jwt = handler.ReadJsonWebToken(assertion);
        read(jwt);
        var sameIssuer = credentials.Where(c => c.Issuer.TrimEnd('/') == jwt.Issuer.TrimEnd('/')).ToList();
        if (sameIssuer.Count == 0)
        {
            return new EntraError("invalid_client", 700211, $"No matching federated identity record found for presented assertion issuer '{jwt.Issuer}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.");
        }

        var keys = await KeysAsync(jwt.Issuer, cancellationToken);
        if (keys is null)
        {
            return new EntraError("invalid_client", 50166, $"Request to External OIDC endpoint failed for issuer '{jwt.Issuer}'.");
        }

        var result = await handler.ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            ValidateAudience = false,
            IssuerSigningKeys = keys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } e && e.ToUniversalTime() > time.GetUtcNow().UtcDateTime.AddMinutes(-5)
                && (notBefore is not { } n || n.ToUniversalTime() <= time.GetUtcNow().UtcDateTime.AddMinutes(5)),
        });
        if (!result.IsValid)
        {
            return result.Exception is SecurityTokenInvalidLifetimeException
                ? new EntraError("invalid_client", 700024, "Client assertion is not within its valid time range.")
                : new EntraError("invalid_client", 700027, "Client assertion failed signature validation.");
        }

        var sameSubject = sameIssuer.Where(c => c.Subject == jwt.Subject).ToList();
        if (sameSubject.Count == 0)
        {
            return new EntraError("invalid_client", 700213, $"No matching federated identity record found for presented assertion subject '{jwt.Subject}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.");
        }

        var audiences = jwt.Audiences.ToList();
        return sameSubject.Any(c => audiences.Contains(c.Audience))
            ? null
            : new EntraError("invalid_client", 700212, $"No matching federated identity record found for presented assertion audience '{string.Join(",", audiences)}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.");
    }

    private async Task<IList<SecurityKey>?> KeysAsync(string issuer, CancellationToken cancellationToken)
    {
        var trimmed = issuer.TrimEnd('/');
        var baseUrl = metadata.TryGetValue(trimmed, out var configured) ? configured : trimmed;
        try
        {
            var discovery = JsonNode.Parse(await http.GetStringAsync(new Uri(baseUrl + "/.well-known/openid-configuration"), cancellationToken));
            if (discovery?["issuer"]?.GetValue<string>()?.TrimEnd('/') != trimmed || discovery["jwks_uri"]?.GetValue<string>() is not { } jwksUri)
            {
                return null;
            }

            var host = new Uri(baseUrl);
            var jwks = new Uri(new Uri(host.GetLeftPart(UriPartial.Authority)), new Uri(jwksUri).PathAndQuery);
            return new JsonWebKeySet(await http.GetStringAsync(jwks, cancellationToken)).GetSigningKeys();
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or ArgumentException)
        {
            return null;
        }
    }
}
