using System.Net;
using Bridge.Sandbox.Emulators;

namespace Bridge.Tests.Emulators;

/// <summary>The Bitbucket emulator's <c>GET /2.0/repositories/{workspace}/{repo_slug}/pipelines/{pipeline_uuid}</c>.</summary>
public sealed class BitbucketPipelineTests : IAsyncLifetime
{
    private const string Commit = "709d658dc5b6d6afcd46049c2f332ee3f515a67d";
    private const string WorkspaceUuid = "{922e118c-f34f-4226-a897-0e0afbec553d}";
    private const string RepositoryUuid = "{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}";
    private const string PipelineUuid = "{5d1b8c2e-4f0a-4b7e-9c3d-2a6f1e8b9c0d}";

    private BitbucketEmulator bitbucket = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        bitbucket = await BitbucketEmulator.StartAsync(new BitbucketEmulatorOptions { AccessToken = "secret" });
        bitbucket.AddPipeline(new PipelineRecord
        {
            WorkspaceSlug = "acme", WorkspaceUuid = WorkspaceUuid, RepositoryFullName = "acme/api", RepositoryUuid = RepositoryUuid,
            PipelineUuid = PipelineUuid, RefType = "tag", RefName = "v1.4.0", Commit = Commit, BuildNumber = 128,
        });
        http = EmulatorHttp.Client(bitbucket.ApiUrl, EmulatorHttp.Bearer("secret"));
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await bitbucket.DisposeAsync();
    }

    [Theory]
    [InlineData("acme", "api")]
    [InlineData(WorkspaceUuid, RepositoryUuid)]
    [InlineData("acme", RepositoryUuid)]
    public async Task Pipeline_is_served_by_slug_or_uuid_with_its_ref_target(string workspace, string repository)
    {
        using var response = await http.GetAsync(
            $"repositories/{Uri.EscapeDataString(workspace)}/{Uri.EscapeDataString(repository)}/pipelines/{Uri.EscapeDataString(PipelineUuid)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("pipeline", body["type"]!.GetValue<string>());
        Assert.Equal(PipelineUuid, body["uuid"]!.GetValue<string>());
        Assert.Equal(128, body["build_number"]!.GetValue<long>());
        var target = body["target"]!;
        Assert.Equal("pipeline_ref_target", target["type"]!.GetValue<string>());
        Assert.Equal("tag", target["ref_type"]!.GetValue<string>());
        Assert.Equal("v1.4.0", target["ref_name"]!.GetValue<string>());
        Assert.Equal(Commit, target["commit"]!["hash"]!.GetValue<string>());
        Assert.Empty(await ContractSchemaCatalog.Bitbucket.ValidateAsync("pipeline", body.ToJsonString()));
        Assert.Equal(1, bitbucket.CallCount(BitbucketEndpoints.GetPipeline));
    }

    [Theory]
    [InlineData("acme", "api", "{00000000-0000-4000-8000-000000000000}")]
    [InlineData("acme", "web", PipelineUuid)]
    [InlineData("other", "api", PipelineUuid)]
    public async Task Unknown_pipeline_or_another_repository_answers_404(string workspace, string repository, string pipeline)
    {
        using var response = await http.GetAsync($"repositories/{workspace}/{repository}/pipelines/{Uri.EscapeDataString(pipeline)}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("error", (await response.ReadJsonAsync())["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Pipeline_needs_the_credential()
    {
        using var anonymous = EmulatorHttp.Client(bitbucket.ApiUrl);
        using var response = await anonymous.GetAsync($"repositories/acme/api/pipelines/{Uri.EscapeDataString(PipelineUuid)}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
