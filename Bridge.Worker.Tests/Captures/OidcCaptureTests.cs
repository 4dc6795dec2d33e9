using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bridge.Contracts;
using Bridge.Sandbox.Emulators;
using Bridge.Worker.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using static Bridge.Tests.Captures.CaptureAssert;

namespace Bridge.Tests.Captures;

/// <summary>
/// Bridge's token verifier on the captured Bitbucket Pipelines claim sets (Captures/bitbucket-oidc). Nobody has
/// Bitbucket's private key, so each test fills in the capture's placeholders (only those), signs the claims RS256 with
/// a key that the sandbox's Bitbucket emulator publishes for the workspace, and checks what can be checked: the
/// default audience and issuer Bridge derives, the binding of the claims to the event, <c>aud</c> as an array, and a
/// deployment step's <c>sub</c> and environment claim. No broker is involved.
/// </summary>
public sealed class OidcCaptureTests : IAsyncLifetime
{
    private const string CyclenerdSlug = "cyclenerd";
    private const string CyclenerdWorkspaceUuid = "{7baee083-4f25-4a97-8a9a-0fde1b623b45}";
    private const string CyclenerdRepositoryUuid = "{2e9e429c-7b8b-404f-8648-8c40c27c9ebd}";

    // openfaas-claims-custom-audience.json has placeholders for the workspace and repository too; these fill them.
    private const string OpenfaasSlug = "faas-example";
    private const string OpenfaasWorkspaceUuid = "{4b8e2f61-93a4-4c1e-b0d7-5f2a6c9e8d13}";
    private const string OpenfaasRepositoryUuid = "{c3a9d7e2-1f4b-4e8a-9b6c-0d2e7f5a1b84}";
    private const string CustomAudience = "https://gw.example.com";

    // A deployment environment (the UUID in Atlassian's AWS example, as quoted by terraform-aws-iam; FACTS.md §2).
    private const string DeploymentEnvironmentUuid = "{bd715740-0c3b-4cd8-a5b5-a3b4b8c8f6a1}";

    private readonly string stepUuid = $"{{{Guid.NewGuid()}}}";
    private readonly string pipelineUuid = $"{{{Guid.NewGuid()}}}";
    private BitbucketEmulator bitbucket = null!;
    private OidcWorkspace cyclenerd = null!;
    private OidcWorkspace openfaas = null!;

    public async Task InitializeAsync()
    {
        bitbucket = await BitbucketEmulator.StartAsync();
        // The issuers keep Bitbucket's production issuer URLs (what the captures' iss say); the emulator serves their
        // discovery and keys, as a proxy would.
        cyclenerd = bitbucket.Host(new OidcWorkspace(CyclenerdSlug, CyclenerdWorkspaceUuid, TrustedWorkspace.DefaultIssuer(CyclenerdSlug)));
        openfaas = bitbucket.Host(new OidcWorkspace(OpenfaasSlug, OpenfaasWorkspaceUuid, TrustedWorkspace.DefaultIssuer(OpenfaasSlug)));
    }

    public async Task DisposeAsync() => await bitbucket.DisposeAsync();

    [Fact]
    public void Captured_issuer_and_audience_are_the_ones_bridge_derives_from_the_workspace_slug_and_uuid()
    {
        var claims = Claims("cyclenerd-claims-example.json");
        var workspace = new TrustedWorkspace { Uuid = claims["workspaceUuid"]!.GetValue<string>() };

        Same(claims["iss"]!.GetValue<string>(), workspace.IssuerFor(CyclenerdSlug), "the default issuer Bridge expects for workspace cyclenerd against the captured iss");
        Same(claims["aud"]!.GetValue<string>(), Assert.Single(workspace.AudiencesOrDefault()),
            "the default audience Bridge derives from workspaceUuid (braces dropped) against the captured aud");
    }

    [Fact]
    public async Task Captured_settings_page_claims_verify_and_bind_workspace_repository_pipeline_step_and_branch()
    {
        var claims = Fill(Claims("cyclenerd-claims-example.json"), CyclenerdSlug, CyclenerdWorkspaceUuid, CyclenerdRepositoryUuid);
        var message = EventFor(CyclenerdSlug, claims, Sign(cyclenerd, claims));

        var identity = await CaptureAssert.NoThrowAsync(() => VerifyAsync(Trust(CyclenerdSlug, CyclenerdWorkspaceUuid), message),
            "the re-signed cyclenerd claims (default audience) were rejected");

        Same(CyclenerdWorkspaceUuid, identity.WorkspaceUuid, "verified workspaceUuid");
        Same(CyclenerdRepositoryUuid, identity.RepositoryUuid, "verified repositoryUuid");
        Same(pipelineUuid, identity.PipelineUuid, "verified pipelineUuid");
        Same(stepUuid, identity.StepUuid, "verified stepUuid");
        Same("main", identity.BranchName, "verified branchName");
        Same(null, identity.DeploymentEnvironment, "deployment environment of a step that is not a deployment step");
    }

    [Theory]
    [InlineData("workspace", RejectReasons.WorkspaceMismatch)]
    [InlineData("repository", RejectReasons.RepositoryMismatch)]
    [InlineData("pipeline", RejectReasons.PipelineMismatch)]
    [InlineData("step", RejectReasons.StepMismatch)]
    [InlineData("branch", RejectReasons.BranchMismatch)]
    public async Task Captured_claims_on_an_event_naming_another_one_are_rejected_for_that_binding(string other, string reason)
    {
        var claims = Fill(Claims("cyclenerd-claims-example.json"), CyclenerdSlug, CyclenerdWorkspaceUuid, CyclenerdRepositoryUuid);
        var genuine = EventFor(CyclenerdSlug, claims, Sign(cyclenerd, claims));
        var mismatched = other switch
        {
            "workspace" => genuine with { Workspace = genuine.Workspace with { Uuid = Braced() } },
            "repository" => genuine with { Repository = genuine.Repository with { Uuid = Braced() } },
            "pipeline" => genuine with { PipelineUuid = Braced() },
            "step" => genuine with { StepUuid = Braced() },
            _ => genuine with { Ref = new GitRef { Name = "feature/elsewhere", Type = RefType.Branch } },
        };
        // Trust the event's workspace UUID (and the captured audience), so what is compared is the token's own
        // workspaceUuid against the event's, not the allow-list.
        var trusted = Trust(CyclenerdSlug, mismatched.Workspace.Uuid);
        trusted.Audiences = [claims["aud"]!.GetValue<string>()];

        var error = await ThrowsAsync<EventRejectedException>(() => VerifyAsync(trusted, mismatched),
            $"the cyclenerd claims on an event of another {other}");

        Same(reason, error.Reason, $"reject reason for a token of another {other}");
    }

    [Fact]
    public async Task Aud_array_with_the_workspace_ari_first_is_accepted_by_the_default_audience()
    {
        var claims = Fill(Claims("openfaas-claims-custom-audience.json"), OpenfaasSlug, OpenfaasWorkspaceUuid, OpenfaasRepositoryUuid);
        That(claims["aud"] is JsonArray { Count: 2 }, $"the openfaas capture's aud should be an array of two, got {claims["aud"]?.ToJsonString()}");

        var identity = await CaptureAssert.NoThrowAsync(
            () => VerifyAsync(Trust(OpenfaasSlug, OpenfaasWorkspaceUuid), EventFor(OpenfaasSlug, claims, Sign(openfaas, claims))),
            "a token whose aud is [workspace ARI, custom audience] was rejected by the default audience");

        Same(stepUuid, identity.StepUuid, "verified stepUuid of the aud-array token");
    }

    [Fact]
    public async Task Aud_array_is_accepted_by_its_custom_audience_when_only_that_is_configured()
    {
        var claims = Fill(Claims("openfaas-claims-custom-audience.json"), OpenfaasSlug, OpenfaasWorkspaceUuid, OpenfaasRepositoryUuid);
        var trusted = Trust(OpenfaasSlug, OpenfaasWorkspaceUuid);
        trusted.Audiences = [CustomAudience];

        await CaptureAssert.NoThrowAsync(
            () => VerifyAsync(trusted, EventFor(OpenfaasSlug, claims, Sign(openfaas, claims))),
            $"a token whose aud array holds {CustomAudience} was rejected by a workspace that accepts {CustomAudience}");
    }

    [Fact]
    public async Task Aud_array_naming_no_accepted_audience_is_rejected_as_wrong_audience()
    {
        var claims = Fill(Claims("openfaas-claims-custom-audience.json"), OpenfaasSlug, OpenfaasWorkspaceUuid, OpenfaasRepositoryUuid);
        var trusted = Trust(OpenfaasSlug, OpenfaasWorkspaceUuid);
        trusted.Audiences = ["https://bridge.example.com"];

        var error = await ThrowsAsync<EventRejectedException>(
            () => VerifyAsync(trusted, EventFor(OpenfaasSlug, claims, Sign(openfaas, claims))),
            "a token whose aud array names neither of the workspace's audiences");

        Same(RejectReasons.WrongAudience, error.Reason, "reject reason for an aud array without an accepted audience");
    }

    [Fact]
    public async Task Deployment_step_sub_with_the_environment_in_the_middle_verifies_and_yields_the_environment_claim()
    {
        var claims = Fill(Claims("cyclenerd-claims-example.json"), CyclenerdSlug, CyclenerdWorkspaceUuid, CyclenerdRepositoryUuid);
        claims["sub"] = $"{CyclenerdRepositoryUuid}:{DeploymentEnvironmentUuid}:{stepUuid}";
        claims["deploymentEnvironmentUuid"] = DeploymentEnvironmentUuid;

        var identity = await CaptureAssert.NoThrowAsync(
            () => VerifyAsync(Trust(CyclenerdSlug, CyclenerdWorkspaceUuid), EventFor(CyclenerdSlug, claims, Sign(cyclenerd, claims))),
            "a deployment step's token (sub = {repository}:{environment}:{step}) was rejected");

        Same(DeploymentEnvironmentUuid, identity.DeploymentEnvironment, "deployment environment read from deploymentEnvironmentUuid");
        Same(stepUuid, identity.StepUuid, "step of a deployment token: the last segment of its three-part sub, not the middle one");
        Same(CyclenerdRepositoryUuid, identity.RepositoryUuid, "repository of a deployment token");
    }

    [Fact]
    public void Emulator_mints_a_deployment_step_sub_in_the_documented_format_and_a_plain_step_sub_as_captured()
    {
        var step = new StepToken { RepositoryUuid = CyclenerdRepositoryUuid, PipelineUuid = pipelineUuid, StepUuid = stepUuid, BranchName = "main" };

        var plain = Payload(cyclenerd.Mint(step));
        var deployment = Payload(cyclenerd.Mint(step with { DeploymentEnvironmentUuid = DeploymentEnvironmentUuid }));

        var captured = Claims("cyclenerd-claims-example.json")["sub"]!.GetValue<string>().Replace("{stepUuid}", stepUuid, StringComparison.Ordinal);
        Same(captured, plain["sub"]!.GetValue<string>(), "the emulator's sub for a step that is not a deployment step, against the captured {repository}:{step}");
        Same($"{CyclenerdRepositoryUuid}:{DeploymentEnvironmentUuid}:{stepUuid}", deployment["sub"]!.GetValue<string>(),
            "the emulator's sub for a deployment step ({repository}:{environment}:{step})");
        Same(DeploymentEnvironmentUuid, deployment["deploymentEnvironmentUuid"]?.GetValue<string>(), "the emulator's deploymentEnvironmentUuid claim");
        AssertMintsEveryCapturedClaim(Claims("cyclenerd-claims-example.json"), plain);
    }

    /// <summary>
    /// The ONE place this file calls the verifier (its API is changing): builds Bridge's verifier over the emulator's
    /// keys for <paramref name="workspace"/> and verifies <paramref name="message"/>.
    /// </summary>
    private async Task<VerifiedIdentity> VerifyAsync(TrustedWorkspace workspace, PipelineEvent message)
    {
        var options = Options.Create(new IdentityOptions
        {
            Workspaces = new(StringComparer.OrdinalIgnoreCase) { [message.Workspace.Slug] = workspace },
            AllowInsecureHttp = true,
        });
        var keys = new SigningKeyCache(new PlainHttpClients(), options, TimeProvider.System, NullLogger<SigningKeyCache>.Instance);
        var expected = new ExpectedIdentity(message.Workspace, message.Repository)
        {
            PipelineUuid = message.PipelineUuid,
            StepUuid = message.StepUuid,
            Branch = message.Ref.Type == RefType.Branch ? message.Ref.Name : null,
        };
        var verdict = await new OidcTokenVerifier(options, keys, TimeProvider.System)
            .VerifyAsync(message.OidcToken, expected, message.OccurredAt, CancellationToken.None);
        return verdict switch
        {
            TokenVerdict.Verified verified => verified.Identity,
            TokenVerdict.Refused refused => throw new EventRejectedException(refused.Rejection),
            _ => throw new Xunit.Sdk.XunitException($"unexpected verdict {verdict}"),
        };
    }

    private TrustedWorkspace Trust(string slug, string uuid) => new()
    {
        Uuid = uuid,
        DiscoveryUrl = bitbucket.IssuerUrl(slug) + "/.well-known/openid-configuration",
    };

    private static JsonObject Claims(string capture) =>
        JsonNode.Parse(CaptureFiles.Oidc(capture)) as JsonObject ?? throw new Xunit.Sdk.XunitException($"{capture} is not a JSON object");

    /// <summary>
    /// Replaces the capture's placeholders, and nothing else: <c>{stepUuid}</c> / <c>{repositoryUuid}</c> in <c>sub</c>,
    /// <c>WORKSPACE</c> in <c>iss</c> (the slug) and in the <c>aud</c> ARI (the UUID without braces), and every
    /// <c>xxxx…</c> value (UUID claims, <c>branchName</c> = main, <c>iat</c> = now, <c>exp</c> = in an hour).
    /// </summary>
    private JsonObject Fill(JsonObject captured, string slug, string workspaceUuid, string repositoryUuid)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var filled = new JsonObject();
        foreach (var (name, value) in captured)
        {
            filled[name] = (name, value) switch
            {
                ("sub", _) => value!.GetValue<string>()
                    .Replace("{repositoryUuid}", repositoryUuid, StringComparison.Ordinal)
                    .Replace("{stepUuid}", stepUuid, StringComparison.Ordinal),
                ("iss", _) => value!.GetValue<string>().Replace("/workspaces/WORKSPACE/", $"/workspaces/{slug}/", StringComparison.Ordinal),
                ("aud", JsonArray audiences) => new JsonArray([.. audiences.Select(a => (JsonNode?)Audience(a!.GetValue<string>(), workspaceUuid))]),
                ("aud", _) => Audience(value!.GetValue<string>(), workspaceUuid),
                ("iat", _) when IsPlaceholder(value) => now,
                ("exp", _) when IsPlaceholder(value) => now + 3600,
                ("branchName", _) when IsPlaceholder(value) => "main",
                ("stepUuid", _) when IsPlaceholder(value) => stepUuid,
                ("pipelineUuid", _) when IsPlaceholder(value) => pipelineUuid,
                ("pipelineRunUuid", _) when IsPlaceholder(value) => $"{{{Guid.NewGuid()}}}",
                ("workspaceUuid", _) when IsPlaceholder(value) => workspaceUuid,
                ("repositoryUuid", _) when IsPlaceholder(value) => repositoryUuid,
                _ => value?.DeepClone(),
            };
        }

        var text = filled.ToJsonString();
        That(!text.Contains("xxxx", StringComparison.Ordinal) && !text.Contains("WORKSPACE", StringComparison.Ordinal)
            && !text.Contains("{stepUuid}", StringComparison.Ordinal) && !text.Contains("{repositoryUuid}", StringComparison.Ordinal),
            $"a placeholder of the capture was left unfilled: {text}");
        That(filled["workspaceUuid"]!.GetValue<string>() == workspaceUuid && filled["repositoryUuid"]!.GetValue<string>() == repositoryUuid,
            $"the capture's workspace or repository UUID is not the one the test trusts: {text}");
        return filled;
    }

    private static string Audience(string captured, string workspaceUuid) =>
        captured.Replace("workspace/WORKSPACE", $"workspace/{workspaceUuid.Trim('{', '}')}", StringComparison.Ordinal);

    private static bool IsPlaceholder(JsonNode? value) =>
        value is JsonValue text && text.TryGetValue<string>(out var s) && s.Contains("xxxx", StringComparison.Ordinal);

    /// <summary>The claims, exactly as given, as an RS256 JWT signed with the issuer's current key (its kid in the header).</summary>
    private static string Sign(OidcWorkspace issuer, JsonObject claims)
    {
        var key = issuer.CurrentKey;
        var header = new JsonObject { ["alg"] = "RS256", ["kid"] = key.Kid, ["typ"] = "JWT" };
        var signingInput = $"{Base64UrlEncoder.Encode(header.ToJsonString())}.{Base64UrlEncoder.Encode(claims.ToJsonString())}";
        var signature = key.SecurityKey.Rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64UrlEncoder.Encode(signature)}";
    }

    /// <summary>The branch event the claims' step published, carrying <paramref name="token"/>.</summary>
    private static PipelineEvent EventFor(string slug, JsonObject claims, string token) => new()
    {
        EventId = Guid.NewGuid(),
        Kind = EventKind.Merge,
        Workspace = new WorkspaceInfo { Slug = slug, Uuid = claims["workspaceUuid"]!.GetValue<string>() },
        Repository = new RepositoryInfo { FullName = $"{slug}/app", Uuid = claims["repositoryUuid"]!.GetValue<string>() },
        Commit = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)),
        Ref = new GitRef { Name = claims["branchName"]!.GetValue<string>(), Type = RefType.Branch },
        PipelineUuid = claims["pipelineUuid"]!.GetValue<string>(),
        StepUuid = claims["stepUuid"]!.GetValue<string>(),
        BuildNumber = 1,
        OccurredAt = DateTimeOffset.UtcNow,
        OidcToken = token,
    };

    private static JsonObject Payload(string jwt) => JsonNode.Parse(Base64UrlEncoder.Decode(jwt.Split('.')[1]))!.AsObject();

    /// <summary>Every claim the capture names is one the emulator mints (the times, and deploymentEnvironmentUuid, aside).</summary>
    private static void AssertMintsEveryCapturedClaim(JsonObject claims, JsonObject minted)
    {
        var missing = claims.Select(c => c.Key).Where(name => !minted.ContainsKey(name)).ToList();
        Same(0, missing.Count, $"claims of the captured settings-page token the emulator does not mint ({string.Join(", ", missing)})");
    }

    private static string Braced() => $"{{{Guid.NewGuid()}}}";

    private sealed class PlainHttpClients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new() { Timeout = TimeSpan.FromSeconds(30) };
    }
}
