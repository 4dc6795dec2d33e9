using Bridge.Sandbox.Emulators;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Identity;
using Microsoft.Extensions.DependencyInjection;
using SampleEvents = Bridge.Tests.Support.SampleEvents;

namespace Bridge.Tests.Identity;

/// <summary>Discovery and keys are fetched once and refreshed only for a new kid, at most once per interval.</summary>
[Collection(BrokerCollection.Name)]
public sealed class SigningKeyCacheTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Valid_tokens_keep_working_across_key_rotations_with_one_key_fetch_per_rotation()
    {
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).With<IdentityOptions>(o => o.KeyRefreshMinInterval = TimeSpan.Zero).StartAsync();
        var issuer = stack.Issuer;

        var accepted = 0;
        for (var rotation = 0; rotation < 3; rotation++)
        {
            if (rotation > 0)
            {
                issuer.Rotate();
            }

            // Five events at once with the new key: they share one refresh.
            var events = Enumerable.Range(0, 5).Select(i => HostileTokenTests.Issue(issuer, SampleEvents.UnsignedTag($"v{rotation}.{i}"))).ToList();
            await Task.WhenAll(events.Select(e => stack.SendAsync(e, CancellationToken.None)));
            accepted += events.Count;
            await stack.WaitForAcceptedStatusesAsync(accepted);

            Assert.Equal(rotation + 1, stack.Bitbucket.CallCount(BitbucketEndpoints.OidcKeys));
        }

        Assert.Equal(1, stack.Bitbucket.CallCount(BitbucketEndpoints.OidcConfiguration));
        Assert.Equal(15, stack.Prefect.FlowRuns.Count);
        Assert.Equal(0u, await fixture.Broker.MessageCountAsync(DeadLetters.ErrorQueue(stack.Queue)));
    }

    [Fact]
    public async Task Event_signed_with_a_key_rotated_right_after_the_last_key_fetch_gets_its_run()
    {
        // The default KeyRefreshMinInterval (30 s): the second event arrives well within it of the first fetch.
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).StartAsync();
        var issuer = stack.Issuer;
        await stack.SendAsync(HostileTokenTests.Issue(issuer, SampleEvents.UnsignedTag("v3.0.0")), CancellationToken.None);
        await stack.WaitForAcceptedStatusesAsync(1);

        issuer.Rotate();
        await stack.SendAsync(HostileTokenTests.Issue(issuer, SampleEvents.UnsignedTag("v3.0.1")), CancellationToken.None);
        await stack.WaitForAcceptedStatusesAsync(2, TimeSpan.FromSeconds(90));

        Assert.Equal(2, stack.Prefect.FlowRuns.Count);
        Assert.Equal(2, stack.Bitbucket.CallCount(BitbucketEndpoints.OidcKeys));
        Assert.Equal(0u, await fixture.Broker.MessageCountAsync(DeadLetters.ErrorQueue(stack.Queue)));
    }

    [Fact]
    public async Task A_thousand_valid_tokens_cost_one_discovery_and_one_key_fetch()
    {
        // Through the broker. The tags match no route, so each event is verified and then acknowledged without a
        // flow run: the test measures the key cache, not Prefect's emulator.
        var logs = new CapturingLoggerProvider();
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).WithLogs(logs).StartAsync();
        var issuer = stack.Issuer;
        var events = Enumerable.Range(0, 1000).Select(i => HostileTokenTests.Issue(issuer, SampleEvents.UnsignedTag($"nightly-{i}"))).ToList();

        await Task.WhenAll(events.Select(e => stack.SendAsync(e, CancellationToken.None)));
        await Eventually.WaitAsync(
            () => Task.FromResult(logs.Entries.Count(e => e.Message.Contains("matched no route", StringComparison.Ordinal)) == events.Count),
            TimeSpan.FromSeconds(120),
            "all 1,000 events are verified and acknowledged");

        Assert.Equal(1, stack.Bitbucket.CallCount(BitbucketEndpoints.OidcConfiguration));
        Assert.Equal(1, stack.Bitbucket.CallCount(BitbucketEndpoints.OidcKeys));
        Assert.Empty(stack.Prefect.FlowRuns);
        Assert.Equal(0u, await fixture.Broker.MessageCountAsync(DeadLetters.ErrorQueue(stack.Queue)));
    }

    [Fact]
    public async Task A_flood_of_unknown_kids_fetches_the_keys_at_most_once_per_interval()
    {
        // A made-up kid in a token issued after the last fetch may be a rotation, so it costs one more fetch once the
        // interval has passed; no more than that, however many arrive.
        var interval = TimeSpan.FromSeconds(2);
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).With<IdentityOptions>(o => o.KeyRefreshMinInterval = interval).StartAsync();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var events = Enumerable.Range(0, 20)
            .Select(i => HostileTokenTests.Issue(new OidcWorkspace(SampleWorkspace.Slug, SampleWorkspace.Uuid, SampleWorkspace.Issuer), SampleEvents.UnsignedTag()))
            .ToList();

        await Task.WhenAll(events.Select(e => stack.SendAsync(e, CancellationToken.None)));
        var dead = await DeadLetters.TakeAsync(fixture.Broker, stack.Queue, events.Count);

        Assert.All(dead, d => Assert.Equal("unknown-kid", d.RejectReason()));
        var fetches = stack.Bitbucket.CallCount(BitbucketEndpoints.OidcKeys);
        Assert.InRange(fetches, 1, 1 + (int)(started.Elapsed / interval));
        Assert.Empty(stack.Prefect.FlowRuns);
    }
}
