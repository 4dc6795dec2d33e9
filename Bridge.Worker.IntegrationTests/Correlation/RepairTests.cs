using Bridge.Sandbox.Emulators;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Correlation;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Correlation;

[Collection(BrokerCollection.Name)]
public sealed class RepairTests(RabbitMqBrokerFixture fixture)
{
    private const string SupersedingRoutes = """
        routes:
          - name: merge-checks
            match: { repository: "acme/*", events: [merge], ref: main }
            deployment: checks-flow/default
            parameters: { commit: "{{ commit }}" }
            statusName: "Checks (Prefect)"
            cancelSuperseded: true
        """;

    [Fact]
    public async Task Deleted_run_is_reported_stopped()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).FollowingOutcomes()
            .With<CorrelationOptions>(o => o.RepairInterval = TimeSpan.FromMilliseconds(200))
            .StartAsync();
        var message = SampleEvents.Tag("v6.0.0");
        await stack.SendAsync(message, CancellationToken.None);
        await stack.WaitForInProgressAsync(message);
        var run = stack.RunOf(message);

        stack.Prefect.DeleteFlowRun(run.Id);

        await stack.WaitForStatusAsync(run, "STOPPED");
        Assert.Equal("flow run deleted in Prefect", stack.StatusOf(run)!.Description);
        Assert.Equal(["INPROGRESS", "STOPPED"], stack.PostsOf(run).Select(p => p.State));
    }

    [Fact]
    public async Task Run_scheduled_past_the_threshold_without_a_ready_worker_says_which_pool_it_waits_for()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).FollowingOutcomes()
            .With<CorrelationOptions>(o => (o.RepairInterval, o.WorkerWaitThreshold) = (TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300)))
            .StartAsync();
        var deployment = stack.Prefect.Deployments.Single(d => d.FullName == "release-flow/production");
        stack.Prefect.SetDeploymentStatus(deployment.Id, "NOT_READY");
        var message = SampleEvents.Tag("v6.1.0");
        await stack.SendAsync(message, CancellationToken.None);
        await stack.WaitForInProgressAsync(message);
        var run = stack.RunOf(message);

        await stack.Bitbucket.WaitForAsync(
            () => stack.StatusOf(run)?.Description?.Contains("waiting for a worker", StringComparison.Ordinal) == true, OutcomeWaits.Deadline);

        var status = stack.StatusOf(run)!;
        Assert.Equal("INPROGRESS", status.State);
        Assert.Equal("Scheduled, waiting for a worker in pool emulator-pool", status.Description);
    }

    [Fact]
    public async Task Waiting_for_a_worker_is_told_by_the_repair_after_the_default_threshold_passes_on_the_clock()
    {
        // The default repair interval and threshold (5 min each) on a schedule clock the test moves: no real wait.
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var stack = await BridgeStack.On(fixture.Broker).WithScheduleClock(time).StartAsync();
        var deployment = stack.Prefect.Deployments.Single(d => d.FullName == "release-flow/production");
        stack.Prefect.SetDeploymentStatus(deployment.Id, "NOT_READY");
        var message = SampleEvents.Tag("v6.2.0");
        await stack.SendAsync(message, CancellationToken.None);
        await stack.WaitForInProgressAsync(message);
        var run = stack.RunOf(message);
        var settings = new CorrelationOptions();
        await stack.Worker.WaitForStartupSweepsAsync();

        // Past the threshold, which the run (created after the clock started) has then waited, and past a repair interval.
        time.Advance(settings.WorkerWaitThreshold);
        time.Advance(settings.RepairInterval);
        await stack.Bitbucket.WaitForAsync(
            () => stack.StatusOf(run)?.Description?.Contains("waiting for a worker", StringComparison.Ordinal) == true, OutcomeWaits.Deadline);

        Assert.Equal("Scheduled, waiting for a worker in pool emulator-pool", stack.StatusOf(run)!.Description);
    }

    [Fact]
    public async Task Newer_merge_cancels_the_superseded_run_and_reports_it_stopped()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).FollowingOutcomes().WithRoutes(SupersedingRoutes).StartAsync();
        var older = SampleEvents.Merge("main");
        await stack.SendAsync(older, CancellationToken.None);
        await stack.WaitForInProgressAsync(older);
        var olderRun = stack.RunOf(older);

        var newer = SampleEvents.Merge("main");
        await stack.SendAsync(newer, CancellationToken.None);
        await stack.WaitForStatusAsync(olderRun, "STOPPED");

        Assert.Equal(StateTypes.Cancelled, stack.Prefect.FindFlowRun(olderRun.Id)!.StateType);
        Assert.Equal($"superseded by {newer.Commit[..12]}", stack.StatusOf(olderRun)!.Description);
        await stack.WaitForInProgressAsync(newer);
        Assert.Equal(StateTypes.Scheduled, stack.RunOf(newer).StateType);

        // The Cancelled event that follows posts nothing more.
        await stack.Prefect.WaitForAsync(() => stack.Prefect.FindFlowRun(olderRun.Id)!.Labels["bridge.reported"] is not null, OutcomeWaits.Deadline);
        Assert.Equal(["INPROGRESS", "STOPPED"], stack.PostsOf(olderRun).Select(p => p.State));
    }
}
