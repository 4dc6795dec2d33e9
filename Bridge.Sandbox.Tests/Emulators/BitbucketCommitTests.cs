using System.Net;
using Bridge.Sandbox.Emulators;

namespace Bridge.Tests.Emulators;

/// <summary>The Bitbucket emulator's <c>GET /2.0/repositories/{workspace}/{repo_slug}/commit/{commit}</c>.</summary>
public sealed class BitbucketCommitTests : IAsyncLifetime
{
    private const string Commit = "764413d85e29f0c3a6b1e2d4c5f6a7b8c9d0e1f2";
    private const string WorkspaceUuid = "{922e118c-f34f-4226-a897-0e0afbec553d}";
    private const string RepositoryUuid = "{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}";

    // Two commits of acme/api that share their first 8 characters, and differ by the 9th.
    private const string Twin1 = "ce5965dd1111111111111111111111111111aaaa";
    private const string Twin2 = "ce5965dd2222222222222222222222222222bbbb";

    private static readonly DateTimeOffset Committed = new(2026, 8, 21, 10, 0, 0, TimeSpan.Zero);

    private BitbucketEmulator bitbucket = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        bitbucket = await BitbucketEmulator.StartAsync(new BitbucketEmulatorOptions { AccessToken = "secret" });
        bitbucket.AddCommit("acme", WorkspaceUuid, "acme/api", RepositoryUuid, Commit, "Merged in feature/x (pull request #1)\n", Committed);
        bitbucket.AddCommit("acme", WorkspaceUuid, "acme/api", RepositoryUuid, Twin1);
        bitbucket.AddCommit("acme", WorkspaceUuid, "acme/api", RepositoryUuid, Twin2);
        http = EmulatorHttp.Client(bitbucket.ApiUrl, EmulatorHttp.Bearer("secret"));
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await bitbucket.DisposeAsync();
    }

    [Fact]
    public async Task Full_hash_is_served_as_the_contract_commit()
    {
        using var response = await http.GetAsync($"repositories/acme/api/commit/{Commit}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        Assert.Empty(await CommitViolationsAsync(json));
        var body = await response.ReadJsonAsync();
        Assert.Equal("commit", body["type"]!.GetValue<string>());
        Assert.Equal(Commit, body["hash"]!.GetValue<string>());
        Assert.Equal("2026-08-21T10:00:00+00:00", body["date"]!.GetValue<string>());
        Assert.Equal("Merged in feature/x (pull request #1)\n", body["message"]!.GetValue<string>());
        Assert.Equal("author", body["author"]!["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["author"]!["raw"]!.GetValue<string>()));
        Assert.Equal(RepositoryUuid, body["repository"]!["uuid"]!.GetValue<string>());
        Assert.Equal("acme/api", body["repository"]!["full_name"]!.GetValue<string>());
        Assert.Equal("api", body["repository"]!["name"]!.GetValue<string>());
        Assert.Equal($"{bitbucket.ApiUrl}/repositories/acme/api/commit/{Commit}", body["links"]!["self"]!["href"]!.GetValue<string>());
        Assert.Empty(body["parents"]!.AsArray());
        Assert.Equal(1, bitbucket.CallCount(BitbucketEndpoints.GetCommit));
    }

    [Fact]
    public async Task Contract_check_of_a_commit_catches_a_broken_one()
    {
        var violations = await CommitViolationsAsync("""{"type":"commit","hash":"NOT-HEX","date":"yesterday","parents":{}}""");

        Assert.Equal(["date", "hash", "parents"], violations.Select(v => v.PathText).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("acme", "api", "764413d85e29")]
    [InlineData(WorkspaceUuid, RepositoryUuid, "764413d85e29")]
    [InlineData("acme", RepositoryUuid, "764413D")]
    [InlineData("ACME", "API", "764413d85e29f0c3a6b1e2d4c5f6a7b8c9d0e1f2")]
    public async Task Prefix_expands_to_the_full_hash_by_slug_or_uuid(string workspace, string repository, string prefix)
    {
        using var response = await http.GetAsync($"repositories/{Uri.EscapeDataString(workspace)}/{Uri.EscapeDataString(repository)}/commit/{prefix}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Commit, (await response.ReadJsonAsync())["hash"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("acme", "api", "0000000000ab")]
    [InlineData("acme", "api", "764413")]
    [InlineData("acme", "api", "764413d85e29-")]
    [InlineData("acme", "web", "764413d85e29")]
    [InlineData("other", "api", "764413d85e29")]
    public async Task Unknown_too_short_or_foreign_commit_answers_404_with_the_error_body(string workspace, string repository, string commit)
    {
        using var response = await http.GetAsync($"repositories/{workspace}/{repository}/commit/{commit}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        Assert.Empty(await ContractSchemaCatalog.Bitbucket.ValidateAsync("error", json));
        var body = await response.ReadJsonAsync();
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Contains(commit, body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ambiguous_prefix_answers_404_and_a_longer_one_resolves()
    {
        using var ambiguous = await http.GetAsync("repositories/acme/api/commit/ce5965dd");
        using var first = await http.GetAsync("repositories/acme/api/commit/ce5965dd1");
        using var second = await http.GetAsync("repositories/acme/api/commit/ce5965dd2");

        Assert.Equal(HttpStatusCode.NotFound, ambiguous.StatusCode);
        Assert.Equal("error", (await ambiguous.ReadJsonAsync())["type"]!.GetValue<string>());
        Assert.Equal(Twin1, (await first.ReadJsonAsync())["hash"]!.GetValue<string>());
        Assert.Equal(Twin2, (await second.ReadJsonAsync())["hash"]!.GetValue<string>());
    }

    [Fact]
    public async Task Commit_of_an_added_pipeline_is_served_too()
    {
        const string built = "d3022fc0ca3d4e5f60718293a4b5c6d7e8f90a1b";
        bitbucket.AddPipeline(new PipelineRecord
        {
            WorkspaceSlug = "acme", WorkspaceUuid = WorkspaceUuid, RepositoryFullName = "acme/web", RepositoryUuid = "{6b0e5a0c-1f2d-4c3b-9a8e-7d6c5b4a3f2e}",
            PipelineUuid = "{5d1b8c2e-4f0a-4b7e-9c3d-2a6f1e8b9c0d}", RefType = "branch", RefName = "main", Commit = built,
        });

        using var response = await http.GetAsync("repositories/acme/web/commit/d3022fc0ca3d");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(built, (await response.ReadJsonAsync())["hash"]!.GetValue<string>());
    }

    [Fact]
    public async Task Commit_needs_the_credential()
    {
        using var anonymous = EmulatorHttp.Client(bitbucket.ApiUrl);
        using var response = await anonymous.GetAsync($"repositories/acme/api/commit/{Commit}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("error", (await response.ReadJsonAsync())["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Injected_fault_is_served_then_the_commit()
    {
        bitbucket.FailNext(BitbucketEndpoints.GetCommit, 1, 503);

        using var failed = await http.GetAsync($"repositories/acme/api/commit/{Commit}");
        using var served = await http.GetAsync($"repositories/acme/api/commit/{Commit}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(2, bitbucket.CallCount(BitbucketEndpoints.GetCommit));
    }

    /// <summary>The violations of <paramref name="commit"/> against the swagger's <c>commit</c>.</summary>
    private static Task<IReadOnlyList<SchemaViolation>> CommitViolationsAsync(string commit) =>
        ContractSchemaCatalog.Bitbucket.ValidateAsync("commit", commit);

    [Fact]
    public void Adding_a_commit_that_is_not_a_full_hash_is_refused()
    {
        Assert.Throws<ArgumentException>(() => bitbucket.AddCommit("acme", WorkspaceUuid, "acme/api", RepositoryUuid, "764413d85e29"));
    }
}
