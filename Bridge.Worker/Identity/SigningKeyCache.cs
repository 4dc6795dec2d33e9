using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Worker.Identity;

/// <summary>
/// Each allow-listed workspace's discovery document and signing keys, fetched on first use and kept for
/// <c>KeyCacheLifetime</c>. A token naming an unknown <c>kid</c> triggers a refresh of the key set, at most once per
/// <c>KeyRefreshMinInterval</c> per workspace, and concurrent callers share it: a flood of made-up kids costs Bitbucket
/// at most one request per interval, and a key rotation costs one.
/// </summary>
internal sealed class SigningKeyCache(
    IHttpClientFactory httpClients, IOptions<IdentityOptions> options, TimeProvider time, ILogger<SigningKeyCache> logger)
{
    public const string HttpClientName = "bitbucket-oidc";

    private static readonly TimeSpan MinRefetch = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, WorkspaceKeys> workspaces = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The workspace's signing key with <paramref name="kid"/>, or null when a fetch made after the token was issued
    /// (<paramref name="issuedAt"/>, its <c>iat</c>) shows that Bitbucket does not publish it. A kid missing from keys
    /// fetched before the token was issued may be a fresh rotation: the key set is fetched again, waiting out what is
    /// left of <c>KeyRefreshMinInterval</c> if it must, so a rotation never drops a deployment.
    /// </summary>
    public async Task<SecurityKey?> FindAsync(string slug, TrustedWorkspace workspace, string kid, DateTimeOffset? issuedAt, CancellationToken cancellationToken)
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
            while (true)
            {
                var snapshot = state.Keys;
                if (snapshot is not null && IsFresh(snapshot, settings))
                {
                    if (snapshot.Keys.TryGetValue(kid, out key))
                    {
                        return key; // another caller refreshed while this one waited
                    }

                    if (ConfirmsAbsence(snapshot, issuedAt))
                    {
                        return null;
                    }

                    // At least a second apart: keys fetched before the token's iat second ended cannot confirm anything.
                    var interval = settings.KeyRefreshMinInterval > MinRefetch ? settings.KeyRefreshMinInterval : MinRefetch;
                    var wait = snapshot.FetchedAt + interval - time.GetUtcNow();
                    if (wait > TimeSpan.Zero)
                    {
                        logger.LogInformation(
                            "Workspace {Workspace}: a token names a key its keys fetched {Age} ago lack; fetching them again in {Wait}",
                            slug, time.GetUtcNow() - snapshot.FetchedAt, wait);
                        await Task.Delay(wait, time, cancellationToken);
                    }
                }

                state.Keys = await FetchAsync(slug, workspace, state, settings, cancellationToken);
                if (state.Keys.Keys.TryGetValue(kid, out key) || ConfirmsAbsence(state.Keys, issuedAt))
                {
                    return key;
                }
            }
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <summary>
    /// Fetches the workspace's discovery document and signing keys now, past the cache (<c>bridge doctor</c>), and returns
    /// how many signing keys it publishes. Throws <see cref="UpstreamUnavailableException"/> or <see cref="HttpRequestException"/>.
    /// </summary>
    public async Task<int> FetchNowAsync(string slug, TrustedWorkspace workspace, CancellationToken cancellationToken) =>
        (await FetchAsync(slug, workspace, new WorkspaceKeys(), options.Value, cancellationToken)).Keys.Count;

    /// <summary>
    /// Keys fetched a whole second after the token's <c>iat</c> (whole seconds) were published after it was signed, so a
    /// kid they lack does not exist. A token without <c>iat</c> is judged by the latest fetch.
    /// </summary>
    private static bool ConfirmsAbsence(KeySnapshot snapshot, DateTimeOffset? issuedAt) =>
        issuedAt is not { } iat || snapshot.FetchedAt >= iat + TimeSpan.FromSeconds(1);

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
