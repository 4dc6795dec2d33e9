using System.Net;
using System.Text;
using Bridge.Sandbox.Emulators;
using Bridge.Worker;
using Bridge.Worker.Bitbucket;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bridge.Tests.Unit;

/// <summary>The worker's <see cref="IBitbucketClient.GetFullCommitHashAsync"/>, as registered by <c>AddBitbucket</c>, against the emulator.</summary>
public sealed class BitbucketCommitClientTests : IAsyncLifetime
{
    private const string Token = "secret";
    private const string Commit = "764413d85e29f0c3a6b1e2d4c5f6a7b8c9d0e1f2";
    private const string WorkspaceUuid = "{922e118c-f34f-4226-a897-0e0afbec553d}";
    private const string RepositoryUuid = "{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}";
    private const int MaxRetries = 2;

    private BitbucketEmulator bitbucket = null!;

    public async Task InitializeAsync()
    {
        bitbucket = await BitbucketEmulator.StartAsync(new BitbucketEmulatorOptions { AccessToken = Token });
        bitbucket.AddCommit("acme", WorkspaceUuid, "acme/api", RepositoryUuid, Commit);
    }

    public async Task DisposeAsync() => await bitbucket.DisposeAsync();

    [Theory]
    [InlineData("acme", "api")]
    [InlineData(WorkspaceUuid, RepositoryUuid)]
    public async Task Twelve_character_hash_expands_to_the_full_one(string workspace, string repository)
    {
        using var host = Worker(Token);

        var full = await Client(host).GetFullCommitHashAsync(workspace, repository, "764413d85e29", CancellationToken.None);

        Assert.Equal(Commit, full);
    }

    [Fact]
    public async Task Unknown_commit_is_null()
    {
        using var host = Worker(Token);

        Assert.Null(await Client(host).GetFullCommitHashAsync("acme", "api", "0000000000ab", CancellationToken.None));
    }

    [Fact]
    public async Task Service_unavailable_through_the_retries_is_upstream_unavailable()
    {
        using var host = Worker(Token);
        bitbucket.FailNext(BitbucketEndpoints.GetCommit, MaxRetries + 1, 503);

        var error = await Assert.ThrowsAsync<UpstreamUnavailableException>(
            () => Client(host).GetFullCommitHashAsync("acme", "api", "764413d85e29", CancellationToken.None));

        Assert.Equal("bitbucket", error.Upstream);
        Assert.Equal(MaxRetries + 1, bitbucket.CallCount(BitbucketEndpoints.GetCommit));
    }

    [Fact]
    public async Task Refused_credential_names_the_scope_it_needs()
    {
        using var host = Worker("wrong");

        var error = await Assert.ThrowsAsync<PermanentFailureException>(
            () => Client(host).GetFullCommitHashAsync("acme", "api", "764413d85e29", CancellationToken.None));

        Assert.Equal("bitbucket-unauthorized", error.Reason);
        Assert.Contains("read:repository:bitbucket", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"commit","hash":"0000000000000000000000000000000000000000"}""")]
    [InlineData("""{"type":"commit","hash":"764413d85e29"}""")]
    [InlineData("""{"type":"commit","hash":"764413D85E29F0C3A6B1E2D4C5F6A7B8C9D0E1F2"}""")]
    [InlineData("""{"type":"commit"}""")]
    public async Task Answer_that_is_not_the_full_hash_of_the_prefix_is_rejected(string body)
    {
        using var http = new HttpClient(new FixedAnswer(body)) { BaseAddress = new Uri("http://bitbucket.invalid/2.0/") };

        var error = await Assert.ThrowsAsync<PermanentFailureException>(
            () => new BitbucketClient(http).GetFullCommitHashAsync("acme", "api", "764413d85e29", CancellationToken.None));

        Assert.Equal("bitbucket-rejected", error.Reason);
    }

    private IHost Worker(string token)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bridge:Bitbucket:ApiUrl"] = bitbucket.ApiUrl,
            ["Bridge:Bitbucket:AccessToken"] = token,
            ["Bridge:Bitbucket:MaxRetries"] = MaxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Bridge:Bitbucket:RetryBaseDelay"] = "00:00:00.001",
            ["Bridge:Bitbucket:MaxRetryDelay"] = "00:00:00.001",
        });
        builder.Services.AddLogging();
        builder.AddBitbucket();
        return builder.Build();
    }

    private static IBitbucketClient Client(IHost host) => host.Services.GetRequiredService<IBitbucketClient>();

    /// <summary>Answers every request 200 with the same JSON body.</summary>
    private sealed class FixedAnswer(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
