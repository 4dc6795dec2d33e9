using Bridge.Contracts;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Identity;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Prefect;
using Bridge.Worker.Redrive;

namespace Bridge.Tests.Redrive;

/// <summary>
/// <c>bridge redrive</c> beside a running worker: what it moves is processed again, what it leaves stays in
/// <c>_error</c> in its order, and a redriven event that fails again says only its new reason.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class RedriveTests(RabbitMqBrokerFixture fixture)
{
    private RabbitMqBroker Broker => fixture.Broker;

    [Fact]
    public async Task Redrive_by_reason_moves_only_the_matching_dead_letters_and_the_worker_then_starts_their_flow_runs()
    {
        await using var stack = await BridgeStack.On(Broker).StartAsync();
        stack.Prefect.DeleteDeployment(stack.Prefect.Deployments.Single(d => d.FullName == "release-flow/production").Id);
        var first = SampleEvents.Tag("v1.0.0");
        var invalid = SampleEvents.Tag("v1.0.1") with { Commit = "abc" };
        var second = SampleEvents.Tag("v1.0.2");
        await DeadLetterAsync(stack, first, invalid, second);
        stack.Prefect.AddDeployment("release-flow", "production", tags: ["deploy"]);

        var exit = await RedriveVerb.RunAsync(Broker, stack.Queue, RedriveVerb.Reasons(PrefectErrors.DeploymentNotFound));

        Assert.True(exit.Code == 0, exit.ToString());
        Assert.Collection(
            exit.Lines(),
            line => Assert.StartsWith($"moved event {first.EventId}  repository acme/api  reason {PrefectErrors.DeploymentNotFound}  age ", line),
            line => Assert.StartsWith($"moved event {second.EventId}  repository acme/api  reason {PrefectErrors.DeploymentNotFound}  age ", line));
        Assert.All(exit.Lines(), line => Assert.Contains("(MT-Fault-Timestamp)  token valid for ", line, StringComparison.Ordinal));
        Assert.Contains(
            $"Moved 2 of 3 dead letters read from {stack.Queue}_error to {stack.Queue}; 1 did not match; 0 of the moved carry an expired token.",
            exit.Output,
            StringComparison.Ordinal);
        await stack.WaitForAcceptedStatusesAsync(count: 2);
        Assert.Equal(new[] { first.Commit, second.Commit }.Order(StringComparer.Ordinal), stack.Bitbucket.Statuses.Select(s => s.Commit).Order(StringComparer.Ordinal));
        Assert.Equal(2, stack.Prefect.FlowRuns.Count);
        var left = Assert.Single(await DeadLetters.TakeAsync(Broker, stack.Queue));
        Assert.Equal("invalid-event", left.Headers["Bridge-Failure-Reason"]);
    }

    [Fact]
    public async Task Dry_run_lists_the_matching_dead_letters_and_moves_none_and_what_a_run_leaves_keeps_its_order()
    {
        await using var stack = await BridgeStack.On(Broker).StartAsync();
        var invalid = new[] { SampleEvents.Tag("v2.0.0") with { Commit = "abc" }, SampleEvents.Tag("v2.0.1") with { Commit = "def" } };
        for (var i = 0; i < 3; i++)
        {
            await Broker.PublishRawAsync(stack.Queue, string.Empty, System.Text.Encoding.UTF8.GetBytes($"not json {i}"), "application/json");
            await WaitForDeadLettersAsync(stack, 2 * i + 1);
            if (i < invalid.Length)
            {
                await DeadLetterAsync(stack, 2 * i + 1, invalid[i]);
            }
        }

        var dry = await RedriveVerb.RunAsync(Broker, stack.Queue, RedriveVerb.Reasons("invalid-event"), dryRun: true);

        Assert.True(dry.Code == 0, dry.ToString());
        Assert.Collection(
            dry.Lines(),
            line => Assert.StartsWith($"would move event {invalid[0].EventId}  repository acme/api  reason invalid-event  age ", line),
            line => Assert.StartsWith($"would move event {invalid[1].EventId}  repository acme/api  reason invalid-event  age ", line));
        Assert.Contains("Would move 2 of 5 dead letters read from", dry.Output, StringComparison.Ordinal);
        Assert.Contains("; 3 did not match; 0 of the matching carry an expired token. Dry run: nothing was moved.", dry.Output, StringComparison.Ordinal);
        await Eventually.WaitAsync(
            async () => await Broker.Management.QueueDepthAsync($"{stack.Queue}_error") == (5, 0), BridgeStack.Deadline, "_error holds all 5, none unacknowledged");
        Assert.Equal(0u, await Broker.MessageCountAsync(stack.Queue));

        var run = await RedriveVerb.RunAsync(Broker, stack.Queue, RedriveVerb.Reasons("invalid-event"));

        Assert.True(run.Code == 0, run.ToString());
        Assert.Equal(2, run.Lines().Count);
        // The worker refuses them again: back in _error with this death's reason and a redrive count.
        var all = await DeadLetters.TakeAsync(Broker, stack.Queue, count: 5);
        Assert.Equal(
            ["not json 0", "not json 1", "not json 2"],
            all.Where(d => d.Headers["Bridge-Failure-Reason"] is "unreadable-message").Select(d => System.Text.Encoding.UTF8.GetString(d.Body)));
        var again = all.Where(d => d.Headers["Bridge-Failure-Reason"] is "invalid-event").ToList();
        Assert.Equal(2, again.Count);
        Assert.All(again, d =>
        {
            Assert.Equal(1L, Convert.ToInt64(d.Headers[DeadLetterHeaders.RedriveCount], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("invalid-event", d.Headers[DeadLetterHeaders.RedrivenReason]);
            Assert.Contains("commit: must be the full 40-character", d.FaultMessage, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Limit_moves_only_the_first_matching_dead_letters()
    {
        await using var stack = await BridgeStack.On(Broker).StartAsync();
        stack.Prefect.DeleteDeployment(stack.Prefect.Deployments.Single(d => d.FullName == "release-flow/production").Id);
        PipelineEvent[] events = [SampleEvents.Tag("v3.0.0"), SampleEvents.Tag("v3.0.1"), SampleEvents.Tag("v3.0.2")];
        await DeadLetterAsync(stack, events);
        stack.Prefect.AddDeployment("release-flow", "production", tags: ["deploy"]);

        var exit = await RedriveVerb.RunAsync(Broker, stack.Queue, limit: 2);

        Assert.True(exit.Code == 0, exit.ToString());
        Assert.Equal(
            [$"moved event {events[0].EventId}", $"moved event {events[1].EventId}"],
            exit.Lines().Select(line => line[..line.IndexOf("  ", StringComparison.Ordinal)]));
        Assert.Contains("Moved 2 of 3 dead letters read from", exit.Output, StringComparison.Ordinal);
        Assert.Contains("0 did not match, 1 more matched past --limit 2;", exit.Output, StringComparison.Ordinal);
        await stack.WaitForAcceptedStatusesAsync(count: 2);
        Assert.Equal(2, stack.Prefect.FlowRuns.Count);
        var left = Assert.Single(await DeadLetters.TakeAsync(Broker, stack.Queue));
        Assert.Contains(events[2].EventId.ToString()!, System.Text.Encoding.UTF8.GetString(left.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_expired_since_is_reported_without_the_token_and_the_event_comes_back_as_expired_in_queue()
    {
        await using var stack = await IdentityRoutes.Stack(Broker).StartAsync();
        var now = DateTimeOffset.UtcNow;
        var message = HostileTokenTests.Issue(
            stack.Issuer, SampleEvents.UnsignedTag() with { OccurredAt = now.AddMinutes(-70) },
            t => t with { IssuedAt = now.AddMinutes(-75), ExpiresAt = now.AddMinutes(-15) });
        await Broker.PublishRawAsync(stack.Queue, string.Empty, RedriveVerb.Body(message), "application/json");
        await WaitForDeadLettersAsync(stack, 1);

        var dry = await RedriveVerb.RunAsync(Broker, stack.Queue, dryRun: true);
        var run = await RedriveVerb.RunAsync(Broker, stack.Queue, RedriveVerb.Reasons("expired-in-queue"));

        var line = Assert.Single(dry.Lines());
        Assert.StartsWith($"would move event {message.EventId}  repository acme/api  reason expired-in-queue  age ", line);
        Assert.Contains("  token expired 15m", line, StringComparison.Ordinal);
        Assert.Contains("1 of the matching carry an expired token (they would come back as expired-in-queue)", dry.Output, StringComparison.Ordinal);
        Assert.Contains("1 of the moved carry an expired token (they come back as expired-in-queue)", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(message.OidcToken.Split('.')[1], dry.Output + dry.Error + run.Output + run.Error, StringComparison.Ordinal);
        var back = Assert.Single(await DeadLetters.TakeAsync(Broker, stack.Queue));
        Assert.Equal("expired-in-queue", back.RejectReason());
        Assert.Equal(1L, Convert.ToInt64(back.Headers[DeadLetterHeaders.RedriveCount], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Sends each event and waits until it is in <c>_error</c>, so that they lie there in this order.</summary>
    private Task DeadLetterAsync(BridgeStack stack, params PipelineEvent[] events) => DeadLetterAsync(stack, 0, events);

    private async Task DeadLetterAsync(BridgeStack stack, int already, params PipelineEvent[] events)
    {
        foreach (var message in events)
        {
            await stack.SendAsync(message, CancellationToken.None);
            await WaitForDeadLettersAsync(stack, ++already);
        }
    }

    private Task WaitForDeadLettersAsync(BridgeStack stack, int count) => Eventually.WaitAsync(
        async () => await Broker.MessageCountAsync($"{stack.Queue}_error") == count, BridgeStack.Deadline, $"{count} message(s) are in {stack.Queue}_error");
}
