using Bridge.Contracts;
using Bridge.Sandbox.Emulators;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Identity;
using SandboxStack = Bridge.Sandbox.Runner.SandboxStack;

namespace Bridge.Tests.Identity;

/// <summary>
/// Hostile events through the real broker: each is dead-lettered with its own <c>Bridge-Reject-Reason</c>, starts no
/// flow run and posts no status.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class HostileTokenTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Unsigned_token_with_alg_none_is_rejected_as_alg_none()
    {
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).StartAsync();
        var issuer = stack.Issuer;
        var message = Issue(issuer, SampleEvents.UnsignedTag());

        await AssertRejectedAsync(stack, message with { OidcToken = ForgedTokens.AlgNone(message.OidcToken) }, "alg-none");
    }

    [Fact]
    public async Task Hs256_token_signed_with_the_public_key_is_rejected_as_alg_not_allowed()
    {
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).StartAsync();
        var issuer = stack.Issuer;
        var message = Issue(issuer, SampleEvents.UnsignedTag());

        await AssertRejectedAsync(
            stack, message with { OidcToken = ForgedTokens.Hs256WithPublicKey(message.OidcToken, issuer.CurrentKey) }, "alg-not-allowed");
    }

    [Fact]
    public async Task Token_signed_with_a_key_the_workspace_does_not_publish_is_rejected_as_unknown_kid()
    {
        // The token is newer than the first key fetch, so the keys are fetched once more before the kid is judged
        // absent (a rotation would be found then); a short interval keeps that quick.
        await using var stack = await IdentityRoutes.Stack(fixture.Broker)
            .With<IdentityOptions>(o => o.KeyRefreshMinInterval = TimeSpan.FromSeconds(2)).StartAsync();
        var impostor = new OidcWorkspace(SampleWorkspace.Slug, SampleWorkspace.Uuid, SampleWorkspace.Issuer);

        await AssertRejectedAsync(stack, Issue(impostor, SampleEvents.UnsignedTag()), "unknown-kid");
    }

    [Fact]
    public async Task Token_with_a_tampered_payload_is_rejected_as_bad_signature()
    {
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).StartAsync();
        var issuer = stack.Issuer;
        var message = Issue(issuer, SampleEvents.UnsignedTag());
        var stretched = ForgedTokens.Tampered(message.OidcToken, claims => claims["exp"] = claims["exp"]!.GetValue<long>() + 86_400);

        await AssertRejectedAsync(stack, message with { OidcToken = stretched }, "bad-signature");
    }

    [Fact]
    public async Task Token_that_expired_before_it_was_sent_is_rejected_as_expired()
    {
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).StartAsync();
        var issuer = stack.Issuer;
        var now = DateTimeOffset.UtcNow;

        await AssertRejectedAsync(
            stack, Issue(issuer, SampleEvents.UnsignedTag(), t => t with { IssuedAt = now.AddHours(-2), ExpiresAt = now.AddHours(-1) }), "expired");
    }

    [Fact]
    public async Task Token_not_valid_yet_is_rejected_as_not_yet_valid()
    {
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).StartAsync();
        var issuer = stack.Issuer;

        await AssertRejectedAsync(
            stack, Issue(issuer, SampleEvents.UnsignedTag(), t => t with { NotBefore = DateTimeOffset.UtcNow.AddMinutes(10) }), "not-yet-valid");
    }

    [Fact]
    public async Task Token_of_another_issuer_is_rejected_as_wrong_issuer()
    {
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).StartAsync();
        var issuer = stack.Issuer;
        var message = Issue(issuer, SampleEvents.UnsignedTag(), t => t with { Issuer = "https://api.bitbucket.org/2.0/workspaces/evil/pipelines-config/identity/oidc" });

        await AssertRejectedAsync(stack, message, "wrong-issuer");
    }

    [Fact]
    public async Task Token_for_another_audience_is_rejected_as_wrong_audience()
    {
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).StartAsync();
        var issuer = stack.Issuer;

        await AssertRejectedAsync(stack, Issue(issuer, SampleEvents.UnsignedTag(), t => t with { Audience = "sts.amazonaws.com" }), "wrong-audience");
    }

    [Fact]
    public async Task Event_of_a_workspace_not_on_the_allow_list_is_rejected_as_workspace_not_allowed()
    {
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).StartAsync();
        var other = stack.Bitbucket.RegisterWorkspace("globex", "{3f2504e0-4f89-41d3-9a0c-0305e82c3301}");
        var message = SampleEvents.UnsignedTag(repository: "globex/api") with { Workspace = new WorkspaceInfo { Slug = "globex", Uuid = other.Uuid } };

        await AssertRejectedAsync(stack, Issue(other, message), "workspace-not-allowed");
    }

    [Fact]
    public async Task Token_of_repository_a_on_an_event_of_repository_b_is_rejected_as_repository_mismatch()
    {
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).StartAsync();
        var issuer = stack.Issuer;
        var ofRepositoryA = Issue(issuer, SampleEvents.UnsignedTag());
        var onRepositoryB = ofRepositoryA with { Repository = new RepositoryInfo { FullName = "acme/web", Uuid = SampleEvents.Braced() } };

        await AssertRejectedAsync(stack, onRepositoryB, "repository-mismatch");
    }

    [Fact]
    public async Task Branch_token_on_an_event_of_another_branch_is_rejected_as_branch_mismatch()
    {
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).StartAsync();
        var issuer = stack.Issuer;
        var message = Issue(issuer, SampleEvents.UnsignedMerge("main"), t => t with { BranchName = "feature/sneaky" });

        await AssertRejectedAsync(stack, message, "branch-mismatch");
    }

    [Fact]
    public async Task Deployment_token_of_an_environment_the_route_does_not_allow_is_rejected_as_environment_not_allowed()
    {
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).StartAsync();
        var issuer = stack.Issuer;
        var message = Issue(issuer, SampleEvents.UnsignedTag("prod-1"), t => t with { DeploymentEnvironmentUuid = IdentityRoutes.StagingEnvironment });

        await AssertRejectedAsync(stack, message, "environment-not-allowed");
    }

    [Fact]
    public async Task Deployment_token_of_the_allowed_environment_starts_the_route()
    {
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).StartAsync();
        var issuer = stack.Issuer;
        var message = Issue(issuer, SampleEvents.UnsignedTag("prod-1"), t => t with { DeploymentEnvironmentUuid = IdentityRoutes.ProductionEnvironment });

        await stack.SendAsync(message, CancellationToken.None);
        await stack.WaitForAcceptedStatusesAsync();

        Assert.Equal("deploy-production", Assert.Single(stack.Prefect.FlowRuns).Labels["bridge.route"]!.GetValue<string>());
    }

    [Fact]
    public async Task Event_naming_a_commit_its_pipeline_did_not_build_is_rejected_as_commit_mismatch()
    {
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).StartAsync();
        var issuer = stack.Issuer;
        var genuine = Issue(issuer, SampleEvents.UnsignedTag());

        await AssertRejectedAsync(stack, genuine with { Commit = SampleEvents.Sha() }, "commit-mismatch");
    }

    [Fact]
    public async Task Replayed_token_naming_another_commit_is_rejected_as_replay_and_the_first_run_stays_alone()
    {
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).StartAsync();
        var issuer = stack.Issuer;
        var genuine = Issue(issuer, SampleEvents.UnsignedTag("nv-1.0"));
        await stack.SendAsync(genuine, CancellationToken.None);
        await stack.WaitForAcceptedStatusesAsync();

        await stack.SendAsync(genuine with { Commit = SampleEvents.Sha(), EventId = Guid.NewGuid() }, CancellationToken.None);
        var dead = Assert.Single(await DeadLetters.TakeAsync(fixture.Broker, stack.Queue));

        Assert.Equal("replay", dead.RejectReason());
        Assert.Equal(genuine.Commit, Assert.Single(stack.Prefect.FlowRuns).Labels["bridge.commit"]!.GetValue<string>());
        Assert.Equal([genuine.Commit], stack.Bitbucket.PostCalls.Select(c => c.Commit).Distinct());
    }

    /// <summary>Records the event's pipeline (its commit and ref) and gives it a token minted by <paramref name="issuer"/>.</summary>
    internal static PipelineEvent Issue(OidcWorkspace issuer, PipelineEvent message, Func<StepToken, StepToken>? change = null)
    {
        SampleWorkspace.Pipelines.Add(SampleWorkspace.Pipeline(message));
        var step = SampleWorkspace.Step(message);
        return message with { OidcToken = issuer.Mint(change is null ? step : change(step)) };
    }

    private async Task AssertRejectedAsync(BridgeStack stack, PipelineEvent message, string reason)
    {
        await stack.SendAsync(message, CancellationToken.None);
        var dead = Assert.Single(await DeadLetters.TakeAsync(fixture.Broker, stack.Queue));

        Assert.Equal(reason, dead.RejectReason());
        Assert.Equal(0, dead.RetryCount);
        Assert.Empty(stack.Prefect.FlowRuns);
        Assert.Empty(stack.Bitbucket.PostCalls);
    }
}
