using Bridge.Sandbox.Emulators;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Stacks;
using Bridge.Tests.Support;
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

    private static async Task<(WebApplication Holder, WebApplication Other)> HolderAsync(WebApplication first, WebApplication second)
    {
        bool Holds(WebApplication worker) => worker.Services.GetRequiredService<CorrelatorLease>().IsHeld;
        await Eventually.WaitAsync(() => Task.FromResult(Holds(first) || Holds(second)), OutcomeWaits.Deadline, "one replica holds the lease");
        return Holds(first) ? (first, second) : (second, first);
    }
}
