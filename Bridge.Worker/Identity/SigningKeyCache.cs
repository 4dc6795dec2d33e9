using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Worker.Identity;

/// <summary>
/// Each allow-listed workspace's discovery document and signing keys, fetched on first use and kept for
/// <c>KeyCacheLifetime</c>. A token naming an unknown <c>kid</c> triggers one refresh of the key set, at most once per
/// <c>KeyRefreshMinInterval</c> per workspace, and concurrent callers share it: a flood of made-up kids costs Bitbucket
/// one request per interval, and a key rotation costs one.
/// </summary>
internal sealed class SigningKeyCache(
    IHttpClientFactory httpClients, IOptions<IdentityOptions> options, TimeProvider time, ILogger<SigningKeyCache> logger)
{
    public const string HttpClientName = "bitbucket-oidc";

    private readonly ConcurrentDictionary<string, WorkspaceKeys> workspaces = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The workspace's signing key with <paramref name="kid"/>, or null when Bitbucket does not publish it.</summary>
    public async Task<SecurityKey?> FindAsync(string slug, TrustedWorkspace workspace, string kid, CancellationToken cancellationToken)
    {
        var state = workspaces.GetOrAdd(slug, _ => new WorkspaceKeys());
        var settings = options.Value;
        if (state.Keys is { } known && IsFresh(known, settings) && known.Keys.TryGetValue(kid, out var key))
        {
            return key;
        }

        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            var snapshot = state.Keys;
            if (snapshot is not null && IsFresh(snapshot, settings))
            {
                if (snapshot.Keys.TryGetValue(kid, out key))
                {
                    return key; // another caller refreshed while this one waited
                }

                if (now - snapshot.FetchedAt < settings.KeyRefreshMinInterval)
                {
                    logger.LogDebug("Key set of workspace {Workspace} refreshed {Age} ago; not refreshing again for an unknown kid", slug, now - snapshot.FetchedAt);
                    return null;
                }
            }

            snapshot = await FetchAsync(slug, workspace, state, settings, cancellationToken);
            state.Keys = snapshot;
            return snapshot.Keys.GetValueOrDefault(kid);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private bool IsFresh(KeySnapshot snapshot, IdentityOptions settings) => time.GetUtcNow() - snapshot.FetchedAt < settings.KeyCacheLifetime;

    private async Task<KeySnapshot> FetchAsync(
        string slug, TrustedWorkspace workspace, WorkspaceKeys state, IdentityOptions settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var http = httpClients.CreateClient(HttpClientName);
        if (state.JwksUri is null || now - state.DiscoveredAt >= settings.KeyCacheLifetime)
        {
            var discoveryUrl = new Uri(workspace.DiscoveryUrlFor(slug));
            using var discovery = await GetJsonAsync(http, discoveryUrl, "discovery document", slug, cancellationToken);
            var jwksText = discovery.RootElement.TryGetProperty("jwks_uri", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
            if (!Uri.TryCreate(jwksText, UriKind.Absolute, out var jwksUri)
                || !(jwksUri.Scheme == "https" || (jwksUri.Scheme == "http" && settings.AllowInsecureHttp)))
            {
                throw new UpstreamUnavailableException(
                    "bitbucket-oidc", $"The discovery document of workspace {slug} at {discoveryUrl} has no usable https jwks_uri (got '{jwksText}')");
            }

            state.JwksUri = jwksUri;
            state.DiscoveredAt = now;
        }

        using var jwks = await GetJsonAsync(http, state.JwksUri, "signing keys", slug, cancellationToken);
        var keys = new Dictionary<string, SecurityKey>(StringComparer.Ordinal);
        foreach (var key in new JsonWebKeySet(jwks.RootElement.GetRawText()).Keys)
        {
            if (key.Kty == JsonWebAlgorithmsKeyTypes.RSA && key.Use is null or "sig" && !string.IsNullOrEmpty(key.Kid))
            {
                keys[key.Kid] = key;
            }
        }

        logger.LogInformation("Fetched {KeyCount} signing keys of workspace {Workspace} from {JwksUri}", keys.Count, slug, state.JwksUri);
        return new KeySnapshot(keys, now);
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient http, Uri url, string what, string slug, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new UpstreamUnavailableException(
                "bitbucket-oidc", $"Could not fetch the {what} of workspace {slug} from {url}: HTTP {(int)response.StatusCode}");
        }

        try
        {
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (JsonException)
        {
            throw new UpstreamUnavailableException("bitbucket-oidc", $"The {what} of workspace {slug} at {url} is not JSON");
        }
    }

    private sealed class WorkspaceKeys
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public volatile KeySnapshot? Keys;

        public Uri? JwksUri { get; set; }

        public DateTimeOffset DiscoveredAt { get; set; }
    }

    private sealed record KeySnapshot(IReadOnlyDictionary<string, SecurityKey> Keys, DateTimeOffset FetchedAt);
}
