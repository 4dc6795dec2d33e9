using Bridge.Sandbox.Emulators;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Correlation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Correlation;

[Collection(BrokerCollection.Name)]
public sealed class PollOutcomeTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task With_the_event_stream_refused_the_poll_still_delivers_the_final_status()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).FollowingOutcomes().With<CorrelationOptions>(OutcomeWaits.FastPoll).StartAsync();
        stack.Prefect.RefuseEventStreams = true;
        stack.Prefect.DropEventStreams();
        var message = SampleEvents.Tag("v3.0.0");
        await stack.SendAsync(message, CancellationToken.None);
        await stack.WaitForInProgressAsync(message);
        var run = stack.RunOf(message);

        stack.Prefect.SetState(run.Id, StateTypes.Running);
        stack.Prefect.SetState(run.Id, StateTypes.Failed, message: "boom");
        await stack.WaitForStatusAsync(run, "FAILED");

        Assert.Equal(0, stack.Prefect.EventStreams.Open);
        Assert.Equal(["INPROGRESS", "FAILED"], stack.PostsOf(run).Select(p => p.State));
        Assert.Equal(0, stack.Prefect.CallCount(PrefectEndpoints.ReadFlowRun));
        Assert.NotNull(stack.Prefect.FindVariable("bridge-watermark"));
    }

    [Fact]
    public async Task With_the_event_stream_refused_a_finished_run_is_reported_by_the_poll_once_its_interval_passes_on_the_clock()
    {
        // The default poll interval (30 s) on a schedule clock the test moves: no real wait.
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var stack = await BridgeStack.On(fixture.Broker).WithScheduleClock(time).StartAsync();
        stack.Prefect.RefuseEventStreams = true;
        stack.Prefect.DropEventStreams();
        var poller = stack.Worker.Services.GetRequiredService<FinishedRunPoller>();
        var message = SampleEvents.Tag("v3.1.0");
        await stack.SendAsync(message, CancellationToken.None);
        await stack.WaitForInProgressAsync(message);
        await stack.Worker.WaitForStartupSweepsAsync();
        var run = stack.RunOf(message);

        stack.Prefect.SetState(run.Id, StateTypes.Running);
        stack.Prefect.SetState(run.Id, StateTypes.Failed, message: "boom");
        var polls = poller.Polls;
        time.Advance(new CorrelationOptions().PollInterval);
        await Eventually.WaitAsync(() => Task.FromResult(poller.Polls > polls), OutcomeWaits.Deadline, "the poll one interval on");
        await stack.WaitForStatusAsync(run, "FAILED");

        Assert.Equal(polls + 1, poller.Polls);
        Assert.Equal(["INPROGRESS", "FAILED"], stack.PostsOf(run).Select(p => p.State));
    }

    [Fact]
    public async Task Worker_stopped_before_its_runs_finish_reports_each_of_them_once_after_a_restart()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).FollowingOutcomes().With<CorrelationOptions>(OutcomeWaits.FastPoll).StartAsync();
        var messages = new[] { "v4.0.0", "v4.0.1", "v4.0.2" }.Select(t => SampleEvents.Tag(t)).ToList();
        foreach (var message in messages)
        {
            await stack.SendAsync(message, CancellationToken.None);
            await stack.WaitForInProgressAsync(message);
        }

        var runs = messages.Select(m => stack.RunOf(m)).ToList();
        stack.Prefect.SetState(runs[0].Id, StateTypes.Completed);
        await stack.WaitForStatusAsync(runs[0], "SUCCESSFUL");

        await using var restarted = await stack.RestartWorkerAsync(worker =>
            // The new worker starts after the run ended: the watermark and the commit's status tell it what is left.
            worker.Services.PostConfigure<CorrelationOptions>(o => o.InitialLookback = TimeSpan.Zero));
        stack.Prefect.SetState(runs[1].Id, StateTypes.Completed);
        stack.Prefect.SetState(runs[2].Id, StateTypes.Crashed, message: "OOMKilled");
        await stack.WaitForStatusAsync(runs[1], "SUCCESSFUL");
        await stack.WaitForStatusAsync(runs[2], "FAILED");
        var poller = restarted.Services.GetRequiredService<FinishedRunPoller>();
        var polls = poller.Polls;
        await Eventually.WaitAsync(() => Task.FromResult(poller.Polls >= polls + 3), OutcomeWaits.Deadline, "three more polls ran");

        Assert.Equal(["INPROGRESS", "SUCCESSFUL"], stack.PostsOf(runs[0]).Select(p => p.State));
        Assert.Equal(["INPROGRESS", "SUCCESSFUL"], stack.PostsOf(runs[1]).Select(p => p.State));
        Assert.Equal(["INPROGRESS", "FAILED"], stack.PostsOf(runs[2]).Select(p => p.State));
        Assert.Equal(0, stack.Prefect.CallCount(PrefectEndpoints.UpdateFlowRunLabels));
    }

    [Fact]
    public async Task Runs_that_ended_while_no_worker_ran_are_reported_from_the_watermark()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).FollowingOutcomes().With<CorrelationOptions>(OutcomeWaits.FastPoll).StartAsync();
        stack.Prefect.RefuseEventStreams = true;
        stack.Prefect.DropEventStreams();
        var message = SampleEvents.Tag("v4.1.0");
        await stack.SendAsync(message, CancellationToken.None);
        await stack.WaitForInProgressAsync(message);
        var run = stack.RunOf(message);
        await stack.Worker.WaitForStartupSweepsAsync();
        await stack.Worker.StopAsync(CancellationToken.None);

        stack.Prefect.SetState(run.Id, StateTypes.Completed);
        await using var restarted = await stack.RestartWorkerAsync(worker =>
            worker.Services.PostConfigure<CorrelationOptions>(o => o.InitialLookback = TimeSpan.Zero));

        await stack.WaitForStatusAsync(run, "SUCCESSFUL");
        Assert.Equal(["INPROGRESS", "SUCCESSFUL"], stack.PostsOf(run).Select(p => p.State));
    }

    [Fact]
    public async Task Five_hundred_runs_in_flight_cost_at_most_three_filter_calls_per_poll()
    {
        // The stream is off and the poll's own timer slow: the test runs each poll itself and counts, at the emulator,
        // the filter calls that poll made. Runs that end within seconds of the tenure's start are checked on the commit
        // first, which 500 of them would make 1,000 Bitbucket requests: over the default budget, so it is off here.
        await using var stack = await BridgeStack.On(fixture.Broker).FollowingOutcomes()
            .With<CorrelationOptions>(o => o.EventStream = false)
            .With<Worker.Bitbucket.BitbucketOptions>(o => o.RequestBudget = 0)
            .StartAsync();
        await stack.Worker.WaitForStartupSweepsAsync();
        var poller = stack.Worker.Services.GetRequiredService<FinishedRunPoller>();
        var deployment = stack.Prefect.Deployments.Single(d => d.FullName == "release-flow/production");
        var runs = Enumerable.Range(0, 500).Select(i => stack.Prefect.AddFlowRun(
            deployment,
            ["bridge", "bridge-route:release"],
            new Dictionary<string, string>
            {
                ["bridge.workspace-uuid"] = SampleEvents.WorkspaceUuid,
                ["bridge.repository-uuid"] = SampleEvents.RepositoryUuid,
                ["bridge.commit"] = SampleEvents.Sha(),
                ["bridge.ref"] = $"v5.0.{i}",
                ["bridge.status-key"] = Worker.Bitbucket.StatusKeys.For("release", "release-flow/production"),
                ["bridge.status-name"] = "Release (Prefect)",
            },
            StateTypes.Running)).ToList();

        async Task<int> FilterCallsOfOnePollAsync()
        {
            var before = stack.Prefect.CallCount(PrefectEndpoints.FilterFlowRuns);
            await poller.PollOnceAsync(CancellationToken.None);
            return stack.Prefect.CallCount(PrefectEndpoints.FilterFlowRuns) - before;
        }

        var whileRunning = await FilterCallsOfOnePollAsync();
        foreach (var run in runs)
        {
            stack.Prefect.SetState(run.Id, StateTypes.Completed);
        }

        var whenAllFinished = await FilterCallsOfOnePollAsync();
        var reported = stack.Bitbucket.PostCalls.Count(c => c.StatusCode == 201);
        var afterwards = await FilterCallsOfOnePollAsync();

        Assert.Equal(1, whileRunning);
        Assert.Equal(3, whenAllFinished);
        Assert.True(afterwards <= 3, $"{afterwards} filter calls in the poll after");
        Assert.Equal(500, reported);
        Assert.Equal(500, stack.Bitbucket.Statuses.Count(s => s.State == "SUCCESSFUL"));
        Assert.Equal(500, stack.Bitbucket.PostCalls.Count(c => c.StatusCode == 201));
        Assert.Equal(0, stack.Prefect.CallCount(PrefectEndpoints.ReadFlowRun));
    }
}
