using Bridge.Contracts;
using Bridge.Sandbox.Emulators;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Stacks;
using Bridge.Tests.Support;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Correlation;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Correlation;

/// <summary>Two replicas on one queue: both dispatch, one correlates (the lease), and each final status is posted once.</summary>
[Collection(BrokerCollection.Name)]
public sealed class ReplicaTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Two_replicas_post_each_final_status_once_and_only_the_lease_holder_polls_and_listens()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).FollowingOutcomes().With<CorrelationOptions>(OutcomeWaits.FastPoll).StartAsync();
        await using var replica = await stack.StartReplicaAsync();
        var (holder, other) = await HolderAsync(stack.Worker, replica);
        await holder.WaitForStartupSweepsAsync();

        var messages = Enumerable.Range(0, 6).Select(i => SampleEvents.Tag($"v7.0.{i}")).ToList();
        foreach (var message in messages)
        {
            await stack.SendAsync(message, CancellationToken.None);
        }

        foreach (var message in messages)
        {
            await stack.WaitForInProgressAsync(message);
        }

        var runs = messages.Select(m => stack.RunOf(m)).ToList();
        foreach (var run in runs)
        {
            stack.Prefect.SetState(run.Id, StateTypes.Completed);
        }

        foreach (var run in runs)
        {
            await stack.WaitForStatusAsync(run, "SUCCESSFUL");
        }

        // A few more polls by the holder: none of them posts again.
        var poller = holder.Services.GetRequiredService<FinishedRunPoller>();
        var polls = poller.Polls;
        await Eventually.WaitAsync(() => Task.FromResult(poller.Polls >= polls + 3), OutcomeWaits.Deadline, "three more polls ran");

        Assert.All(runs, run => Assert.Equal(["INPROGRESS", "SUCCESSFUL"], stack.PostsOf(run).Select(p => p.State)));
        Assert.True(other.Services.GetRequiredService<CorrelatorLease>().Tenures == 0, "the other replica never held the lease");
        Assert.Equal(0, other.Services.GetRequiredService<FinishedRunPoller>().Polls);
        Assert.Equal(0, other.Services.GetRequiredService<RunRepair>().Sweeps);
        Assert.Equal(0, other.Services.GetRequiredService<FlowRunEventStream>().Connections);
    }

    [Fact]
    public async Task When_the_lease_holder_stops_the_other_replica_takes_over_and_reports_the_runs_that_ended_meanwhile()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).FollowingOutcomes().With<CorrelationOptions>(OutcomeWaits.FastPoll).StartAsync();
        await using var replica = await stack.StartReplicaAsync();
        var (holder, other) = await HolderAsync(stack.Worker, replica);
        var message = SampleEvents.Tag("v7.1.0");
        await stack.SendAsync(message, CancellationToken.None);
        await stack.WaitForInProgressAsync(message);
        var run = stack.RunOf(message);

        await holder.StopAsync(CancellationToken.None);
        stack.Prefect.SetState(run.Id, StateTypes.Failed, message: "boom");
        var lease = other.Services.GetRequiredService<CorrelatorLease>();
        await Eventually.WaitAsync(() => Task.FromResult(lease.IsHeld), OutcomeWaits.Deadline, "the other replica holds the lease");
        await stack.WaitForStatusAsync(run, "FAILED");

        Assert.Equal(["INPROGRESS", "FAILED"], stack.PostsOf(run).Select(p => p.State));
        Assert.Equal(1, lease.Tenures);
    }

    [Fact]
    public async Task A_final_status_the_old_holder_posted_is_not_posted_again_by_the_replica_that_takes_over()
    {
        // A poll overlap longer than the test: the new holder's polls find the run whatever the watermark says, and only
        // the commit's status tells it the run was reported (nothing is written to Prefect for it).
        await using var stack = await BridgeStack.On(fixture.Broker).FollowingOutcomes()
            .With<CorrelationOptions>(OutcomeWaits.FastPoll)
            .With<CorrelationOptions>(o => o.PollOverlap = TimeSpan.FromMinutes(10))
            .StartAsync();
        await using var replica = await stack.StartReplicaAsync();
        var (holder, other) = await HolderAsync(stack.Worker, replica);
        var message = SampleEvents.Tag("v7.2.0");
        await stack.SendAsync(message, CancellationToken.None);
        await stack.WaitForInProgressAsync(message);
        var run = stack.RunOf(message);
        stack.Prefect.SetState(run.Id, StateTypes.Completed);
        await stack.WaitForStatusAsync(run, "SUCCESSFUL");

        await holder.StopAsync(CancellationToken.None);
        var lease = other.Services.GetRequiredService<CorrelatorLease>();
        var poller = other.Services.GetRequiredService<FinishedRunPoller>();
        await Eventually.WaitAsync(() => Task.FromResult(lease.IsHeld && poller.Polls >= 3), OutcomeWaits.Deadline, "the new holder polled three times");

        Assert.Equal(["INPROGRESS", "SUCCESSFUL"], stack.PostsOf(run).Select(p => p.State));
        Assert.True(stack.Bitbucket.CallCount(BitbucketEndpoints.GetBuildStatus) >= 1, "the new holder read the commit's status");
        Assert.Equal(0, stack.Prefect.CallCount(PrefectEndpoints.UpdateFlowRunLabels));
    }

    [Fact]
    public async Task An_inprogress_retried_under_429s_is_given_up_once_its_run_ended_so_the_final_status_stays_last()
    {
        // The next two status posts are answered 429 (Retry-After: 2 s); the run ends after the first. Before each retry
        // Bridge reads the run, so the INPROGRESS is given up once it ended (after the first 429 or the second, as the
        // read and the test's state change fall) and is never accepted; the final status is. The cross-replica race this
        // prevents (a late INPROGRESS over the holder's final) needs no second replica to show: the retries stop either way.
        await using var stack = await BridgeStack.On(fixture.Broker).FollowingOutcomes().StartAsync();
        await stack.Worker.WaitForStartupSweepsAsync();
        stack.Bitbucket.FailNext(BitbucketEndpoints.PostBuildStatus, 2, 429, TimeSpan.FromSeconds(2));
        var message = SampleEvents.Tag("v7.3.0");
        await stack.SendAsync(message, CancellationToken.None);
        await stack.Bitbucket.WaitForAsync(() => stack.Bitbucket.PostCalls.Any(c => c.StatusCode == 429), OutcomeWaits.Deadline);
        var run = stack.RunOf(message);
        stack.Prefect.SetState(run.Id, StateTypes.Running);
        stack.Prefect.SetState(run.Id, StateTypes.Completed);

        await stack.WaitForStatusAsync(run, "SUCCESSFUL");

        var attempts = stack.Bitbucket.PostCalls.Where(c => c.Commit == message.Commit).Select(c => $"{c.Body?["state"]} {c.StatusCode}").ToList();
        Assert.DoesNotContain("INPROGRESS 201", attempts);
        Assert.Equal("SUCCESSFUL 201", attempts[^1]);
        Assert.Equal(["INPROGRESS", "SUCCESSFUL"], attempts.Select(a => a.Split(' ')[0]).Distinct());
    }

    [Fact]
    public async Task An_inprogress_whose_run_ends_during_the_retry_delay_is_given_up_before_it_is_sent()
    {
        // Two 429s (Retry-After: 5 s): the dispatch's one attempt, which hands the INPROGRESS over to the lease holder
        // (here the same process), and the holder's first. The test ends the run once the holder's retry is scheduled
        // (Polly's OnRetry, logged after the retry weighed the 429 and before its delay), so the run ends during the
        // delay. The run is read right before the retry goes out, so it is given up; read when the 429 was weighed, it
        // would still be running and the INPROGRESS would land 5 s later, over the final status.
        var logs = new CapturingLoggerProvider();
        await using var stack = await BridgeStack.On(fixture.Broker).FollowingOutcomes().WithLogs(logs)
            .WithComposition(new Dictionary<string, string?> { ["Serilog:MinimumLevel:Override:Polly"] = "Verbose" })
            .StartAsync();
        await stack.Worker.WaitForStartupSweepsAsync();
        stack.Bitbucket.FailNext(BitbucketEndpoints.PostBuildStatus, 2, 429, TimeSpan.FromSeconds(5));
        var message = SampleEvents.Tag("v7.4.0");
        await stack.SendAsync(message, CancellationToken.None);
        await Eventually.WaitAsync(
            () => Task.FromResult(logs.Entries.Any(e => e.Category.StartsWith("Polly", StringComparison.Ordinal) && e.Text.Contains("OnRetry", StringComparison.Ordinal)
                && e.Text.Contains(BitbucketExtensions.Upstream, StringComparison.OrdinalIgnoreCase))),
            OutcomeWaits.Deadline,
            "the INPROGRESS post's retry was scheduled");
        var run = stack.RunOf(message);
        stack.Prefect.SetState(run.Id, StateTypes.Running);
        stack.Prefect.SetState(run.Id, StateTypes.Completed);

        await stack.WaitForStatusAsync(run, "SUCCESSFUL");
        await Eventually.WaitAsync(
            () => Task.FromResult(logs.Entries.Any(e => e.Message.Contains("ended before its INPROGRESS could be posted", StringComparison.Ordinal))),
            OutcomeWaits.Deadline,
            "the INPROGRESS was given up");

        var attempts = stack.Bitbucket.PostCalls.Where(c => c.Commit == message.Commit).Select(c => $"{c.Body?["state"]} {c.StatusCode}");
        Assert.Equal(["INPROGRESS 429", "INPROGRESS 429", "SUCCESSFUL 201"], attempts);
    }

    [Fact]
    public async Task An_inprogress_bitbucket_does_not_take_at_once_is_not_retried_by_the_dispatching_replica_but_posted_by_the_lease_holder()
    {
        // The lease holder posts every final status; a dispatch INPROGRESS retried elsewhere could land after one. So the
        // dispatch makes one attempt and hands a refused INPROGRESS to the holder. Each event's INPROGRESS is answered
        // 429 once; events go to both replicas in turn, until one was dispatched by the replica that does not hold the lease.
        await using var stack = await BridgeStack.On(fixture.Broker).FollowingOutcomes().StartAsync();
        await using var replica = await stack.StartReplicaAsync();
        var (holder, other) = await HolderAsync(stack.Worker, replica);
        await holder.WaitForStartupSweepsAsync();

        (PipelineEvent Message, Guid Run)? handedOver = null;
        for (var i = 0; i < 12 && handedOver is null; i++)
        {
            stack.Bitbucket.FailNext(BitbucketEndpoints.PostBuildStatus, 1, 429, TimeSpan.FromSeconds(1));
            var message = SampleEvents.Tag($"v7.5.{i}");
            await stack.SendAsync(message, CancellationToken.None);
            await stack.WaitForInProgressAsync(message);
            var run = stack.RunOf(message);
            if (other.Services.GetRequiredService<InFlightRuns>().Snapshot().Any(r => r.Run.Id == run.Id))
            {
                handedOver = (message, run.Id);
            }
        }

        Assert.True(handedOver is not null, "no event of twelve went to the replica that does not hold the lease");
        var (sent, runId) = handedOver.Value;
        var posts = stack.Bitbucket.PostCalls.Where(c => c.Commit == sent.Commit).ToList();
        Assert.Equal(["INPROGRESS 429", "INPROGRESS 201"], posts.Select(c => $"{c.Body?["state"]} {c.StatusCode}"));
        var key = (sent.Commit, (string)posts[^1].Body!["key"]!);
        await Eventually.WaitAsync(
            () => Task.FromResult(holder.Services.GetRequiredService<StatusLedger>().Last(key)?.RunId == runId), OutcomeWaits.Deadline, "the holder noted the INPROGRESS it posted");
        Assert.Null(other.Services.GetRequiredService<StatusLedger>().Last(key));
    }

    private static async Task<(WebApplication Holder, WebApplication Other)> HolderAsync(WebApplication first, WebApplication second)
    {
        bool Holds(WebApplication worker) => worker.Services.GetRequiredService<CorrelatorLease>().IsHeld;
        await Eventually.WaitAsync(() => Task.FromResult(Holds(first) || Holds(second)), OutcomeWaits.Deadline, "one replica holds the lease");
        return Holds(first) ? (first, second) : (second, first);
    }
}
