using System.Text.Json;
using Bridge.Contracts;
using Bridge.Sandbox.Runner;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Infrastructure;
using Bridge.Worker.Bitbucket;
using SampleEvents = Bridge.Tests.Support.SampleEvents;

namespace Bridge.Tests.Identity;

/// <summary>A genuine token that expired while its message waited in the queue is its own reason, and says so on the commit.</summary>
[Collection(BrokerCollection.Name)]
public sealed class ExpiredInQueueTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Token_expired_in_the_queue_is_rejected_and_the_verified_commit_is_told_to_rerun_the_step()
    {
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).StartAsync();
        var issuer = stack.Issuer;
        var now = DateTimeOffset.UtcNow;
        var message = HostileTokenTests.Issue(
            issuer, SampleEvents.UnsignedTag() with { OccurredAt = now.AddMinutes(-70) },
            t => t with { IssuedAt = now.AddMinutes(-75), ExpiresAt = now.AddMinutes(-15) });

        await PublishPlainJsonAsync(stack, message);
        var dead = Assert.Single(await DeadLetters.TakeAsync(fixture.Broker, stack.Queue));

        Assert.Equal("expired-in-queue", dead.RejectReason());
        Assert.Empty(stack.Prefect.FlowRuns);
        var status = Assert.Single(stack.Bitbucket.Statuses);
        Assert.Equal((message.Repository.Uuid, message.Commit), (status.Repository, status.Commit));
        Assert.Equal(StatusKeys.For("release", "release-flow/production"), status.Key);
        Assert.Equal("FAILED", status.State);
        Assert.Matches(@"^token expired after 42\d\d s in the queue — re-run the step$", status.Description);
    }

    [Fact]
    public async Task Token_expired_in_the_queue_on_an_unverified_commit_posts_nothing()
    {
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).StartAsync();
        var issuer = stack.Issuer;
        var now = DateTimeOffset.UtcNow;
        var message = HostileTokenTests.Issue(
            issuer, SampleEvents.UnsignedTag() with { OccurredAt = now.AddMinutes(-70) },
            t => t with { IssuedAt = now.AddMinutes(-75), ExpiresAt = now.AddMinutes(-15) });

        await PublishPlainJsonAsync(stack, message with { Commit = SampleEvents.Sha() });
        var dead = Assert.Single(await DeadLetters.TakeAsync(fixture.Broker, stack.Queue));

        Assert.Equal("expired-in-queue", dead.RejectReason());
        Assert.Empty(stack.Prefect.FlowRuns);
        Assert.Empty(stack.Bitbucket.PostCalls);
    }

    [Fact]
    public async Task Token_expired_in_the_queue_never_overwrites_a_status_the_route_already_posted()
    {
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).StartAsync();
        var issuer = stack.Issuer;
        var genuine = HostileTokenTests.Issue(issuer, SampleEvents.UnsignedTag());
        await stack.SendAsync(genuine, CancellationToken.None);
        await stack.WaitForAcceptedStatusesAsync();
        var now = DateTimeOffset.UtcNow;
        var stale = genuine with
        {
            OccurredAt = now.AddMinutes(-70),
            OidcToken = issuer.Mint(Bridge.Sandbox.Emulators.SampleWorkspace.Step(genuine) with { IssuedAt = now.AddMinutes(-75), ExpiresAt = now.AddMinutes(-15) }),
        };

        await PublishPlainJsonAsync(stack, stale);
        var dead = Assert.Single(await DeadLetters.TakeAsync(fixture.Broker, stack.Queue));

        Assert.Equal("expired-in-queue", dead.RejectReason());
        Assert.Equal("INPROGRESS", Assert.Single(stack.Bitbucket.Statuses).State);
        Assert.Single(stack.Bitbucket.PostCalls);
    }

    private Task PublishPlainJsonAsync(BridgeStack stack, PipelineEvent message) =>
        fixture.Broker.PublishRawAsync(stack.Queue, string.Empty, JsonSerializer.SerializeToUtf8Bytes(message, SandboxJson.Options), "application/json");
}
