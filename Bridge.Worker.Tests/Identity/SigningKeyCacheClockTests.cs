using Bridge.Sandbox.Emulators;
using Bridge.Tests.Support;
using Bridge.Worker.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Identity;

/// <summary>
/// The signing-key cache on a fake clock, against the Bitbucket emulator's discovery and keys over HTTP (no broker):
/// its lifetime, the refresh a rotation needs, and when a kid counts as absent.
/// </summary>
public sealed class SigningKeyCacheClockTests : IAsyncLifetime
{
    private const string Slug = "acme";
    private const string WorkspaceUuid = "{6c2f7a11-4a4e-4f0f-9a51-0d3c3f7e2b10}";
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider logs = new();
    private readonly ILoggerFactory loggers;
    private BitbucketEmulator bitbucket = null!;
    private OidcWorkspace issuer = null!;
    private TrustedWorkspace trusted = null!;
    private SigningKeyCache cache = null!;

    public SigningKeyCacheClockTests() => loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));

    public async Task InitializeAsync()
    {
        bitbucket = await BitbucketEmulator.StartAsync();
        issuer = bitbucket.RegisterWorkspace(Slug, WorkspaceUuid);
        trusted = new TrustedWorkspace { Uuid = WorkspaceUuid, DiscoveryUrl = bitbucket.IssuerUrl(Slug) + "/.well-known/openid-configuration" };
        var options = Options.Create(new IdentityOptions
        {
            Workspaces = new(StringComparer.OrdinalIgnoreCase) { [Slug] = trusted },
            KeyRefreshMinInterval = RefreshInterval,
            KeyCacheLifetime = Lifetime,
            AllowInsecureHttp = true,
        });
        cache = new SigningKeyCache(new PlainHttpClients(), options, time, loggers.CreateLogger<SigningKeyCache>());
    }

    public async Task DisposeAsync()
    {
        await bitbucket.DisposeAsync();
        loggers.Dispose();
    }

    private int KeyFetches => bitbucket.CallCount(BitbucketEndpoints.OidcKeys);

    [Fact]
    public async Task Keys_are_used_for_their_lifetime_then_fetched_again()
    {
        var kid = issuer.CurrentKey.Kid;
        Assert.NotNull(await FindAsync(kid, issuedAt: time.GetUtcNow()));

        time.Advance(Lifetime - TimeSpan.FromSeconds(1));
        Assert.NotNull(await FindAsync(kid, issuedAt: time.GetUtcNow()));
        Assert.Equal(1, KeyFetches);

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.NotNull(await FindAsync(kid, issuedAt: time.GetUtcNow()));
        Assert.Equal(2, KeyFetches);
        Assert.Equal(2, bitbucket.CallCount(BitbucketEndpoints.OidcConfiguration));
    }

    [Fact]
    public async Task A_key_rotated_right_after_a_fetch_is_found_by_the_next_fetch_instead_of_refused()
    {
        Assert.NotNull(await FindAsync(issuer.CurrentKey.Kid, issuedAt: time.GetUtcNow()));
        var rotated = issuer.Rotate();

        // A token signed with the new key in the same second as the fetch: those keys cannot tell whether it exists.
        var finding = FindAsync(rotated, issuedAt: time.GetUtcNow());
        await Eventually.WaitAsync(
            () => Task.FromResult(logs.Entries.Any(e => e.Message.Contains("fetching them again in", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(30),
            "the cache waits for the next allowed fetch");
        Assert.False(finding.IsCompleted, "the kid was judged before the next allowed fetch");
        Assert.Equal(1, KeyFetches);

        time.Advance(RefreshInterval);

        Assert.Equal(rotated, (await finding.WaitAsync(TimeSpan.FromSeconds(30)))?.KeyId);
        Assert.Equal(2, KeyFetches);
    }

    [Fact]
    public async Task A_kid_missing_from_keys_fetched_after_the_token_was_issued_is_absent_at_once()
    {
        var issuedAt = time.GetUtcNow();
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.NotNull(await FindAsync(issuer.CurrentKey.Kid, issuedAt));

        Assert.Null(await FindAsync("made-up-kid", issuedAt).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, KeyFetches);
    }

    private Task<Microsoft.IdentityModel.Tokens.SecurityKey?> FindAsync(string kid, DateTimeOffset issuedAt) =>
        cache.FindAsync(Slug, trusted, kid, issuedAt, CancellationToken.None);

    private sealed class PlainHttpClients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new() { Timeout = TimeSpan.FromSeconds(30) };
    }
}
