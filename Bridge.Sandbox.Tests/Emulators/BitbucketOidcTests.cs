using System.Net;
using Bridge.Sandbox.Emulators;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Tests.Emulators;

/// <summary>The Bitbucket emulator's per-workspace Pipelines OIDC issuer: discovery, keys.json, minted tokens, rotation.</summary>
public sealed class BitbucketOidcTests : IAsyncLifetime
{
    private const string WorkspaceUuid = "{922e118c-f34f-4226-a897-0e0afbec553d}";
    private const string RepositoryUuid = "{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}";
    private const string StepUuid = "{759de0c6-eaee-4eaa-b7a6-c507eec759a7}";
    private const string PipelineUuid = "{5d1b8c2e-4f0a-4b7e-9c3d-2a6f1e8b9c0d}";
    private const string OidcPath = "workspaces/bbcitest/pipelines-config/identity/oidc";

    private BitbucketEmulator bitbucket = null!;
    private OidcWorkspace workspace = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        // A credential is configured: the OIDC endpoints must still answer without one, as Bitbucket's do.
        bitbucket = await BitbucketEmulator.StartAsync(new BitbucketEmulatorOptions { AccessToken = "secret" });
        workspace = bitbucket.RegisterWorkspace("bbcitest", WorkspaceUuid);
        http = EmulatorHttp.Client(bitbucket.ApiUrl);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await bitbucket.DisposeAsync();
    }

    [Fact]
    public async Task Discovery_document_names_the_workspace_issuer_its_keys_and_rs256_without_a_credential()
    {
        using var response = await http.GetAsync($"{OidcPath}/.well-known/openid-configuration");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal($"{bitbucket.ApiUrl}/{OidcPath}", body["issuer"]!.GetValue<string>());
        Assert.Equal(bitbucket.IssuerUrl("bbcitest"), workspace.Issuer);
        Assert.Equal($"{bitbucket.ApiUrl}/{OidcPath}/keys.json", body["jwks_uri"]!.GetValue<string>());
        Assert.Equal(["RS256"], body["id_token_signing_alg_values_supported"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains("repositoryUuid", body["claims_supported"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains("deploymentEnvironmentUuid", body["claims_supported"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(1, bitbucket.CallCount(BitbucketEndpoints.OidcConfiguration));
    }

    [Fact]
    public async Task Unknown_workspace_has_no_issuer()
    {
        using var discovery = await http.GetAsync("workspaces/nobody/pipelines-config/identity/oidc/.well-known/openid-configuration");
        using var keys = await http.GetAsync("workspaces/nobody/pipelines-config/identity/oidc/keys.json");

        Assert.Equal(HttpStatusCode.NotFound, discovery.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, keys.StatusCode);
        Assert.Equal("error", (await discovery.ReadJsonAsync())["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Minted_step_token_has_the_real_claims_and_verifies_with_the_published_keys()
    {
        var token = workspace.Mint(new StepToken { RepositoryUuid = RepositoryUuid, PipelineUuid = PipelineUuid, StepUuid = StepUuid, BranchName = "main" });

        var result = await ValidateAsync(token, workspace.DefaultAudience);

        Assert.True(result.IsValid, result.Exception?.ToString());
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal(workspace.CurrentKey.Kid, jwt.Kid);
        Assert.Equal("ari:cloud:bitbucket::workspace/922e118c-f34f-4226-a897-0e0afbec553d", Assert.Single(jwt.Audiences));
        Assert.Equal($"{RepositoryUuid}:{StepUuid}", jwt.Subject);
        Assert.Equal(WorkspaceUuid, jwt.GetPayloadValue<string>("workspaceUuid"));
        Assert.Equal(RepositoryUuid, jwt.GetPayloadValue<string>("repositoryUuid"));
        Assert.Equal(PipelineUuid, jwt.GetPayloadValue<string>("pipelineUuid"));
        Assert.Equal(StepUuid, jwt.GetPayloadValue<string>("stepUuid"));
        Assert.Equal("main", jwt.GetPayloadValue<string>("branchName"));
        Assert.False(jwt.TryGetPayloadValue<string>("deploymentEnvironmentUuid", out _));
        Assert.False(jwt.TryGetPayloadValue<long>("nbf", out _));
        Assert.Equal(3600, jwt.GetPayloadValue<long>("exp") - jwt.GetPayloadValue<long>("iat"));
    }

    [Fact]
    public async Task Deployment_step_token_puts_the_environment_in_sub_and_a_custom_audience_in_aud()
    {
        const string environment = "{bd715740-0c3b-4cd8-a5b5-a3b4b8c8f6a1}";
        var token = workspace.Mint(new StepToken
        {
            RepositoryUuid = RepositoryUuid, PipelineUuid = PipelineUuid, StepUuid = StepUuid,
            DeploymentEnvironmentUuid = environment, Audience = "https://bridge.example.com",
        });

        var result = await ValidateAsync(token, "https://bridge.example.com");

        Assert.True(result.IsValid, result.Exception?.ToString());
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal($"{RepositoryUuid}:{environment}:{StepUuid}", jwt.Subject);
        Assert.Equal(environment, jwt.GetPayloadValue<string>("deploymentEnvironmentUuid"));
    }

    [Fact]
    public async Task Rotation_publishes_the_new_key_beside_the_old_one_until_it_is_retired()
    {
        var old = workspace.CurrentKey.Kid;
        var fresh = workspace.Rotate();

        Assert.NotEqual(old, fresh);
        Assert.Equal([old, fresh], await PublishedKidsAsync());
        Assert.Equal(fresh, new JsonWebToken(workspace.Mint(new StepToken { RepositoryUuid = RepositoryUuid, PipelineUuid = PipelineUuid, StepUuid = StepUuid })).Kid);

        workspace.Retire(old);

        Assert.Equal([fresh], await PublishedKidsAsync());
        Assert.Throws<InvalidOperationException>(() => workspace.Retire(fresh));
        Assert.Equal(2, bitbucket.CallCount(BitbucketEndpoints.OidcKeys));
    }

    private async Task<string[]> PublishedKidsAsync()
    {
        using var response = await http.GetAsync($"{OidcPath}/keys.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keys = (await response.ReadJsonAsync())["keys"]!.AsArray();
        Assert.All(keys, k => Assert.Equal("RSA", k!["kty"]!.GetValue<string>()));
        return [.. keys.Select(k => k!["kid"]!.GetValue<string>())];
    }

    private async Task<TokenValidationResult> ValidateAsync(string token, string audience)
    {
        using var response = await http.GetAsync($"{OidcPath}/keys.json");
        var keys = new JsonWebKeySet(await response.Content.ReadAsStringAsync());
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = workspace.Issuer,
            ValidAudience = audience,
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidAlgorithms = ["RS256"],
        });
    }
}
