using Bridge.Sandbox.Emulators;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;

namespace Bridge.Tests.Correlation;

[Collection(BrokerCollection.Name)]
public sealed class PushOutcomeTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Each_terminal_state_becomes_its_mapped_status_and_description()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).FollowingOutcomes().StartAsync();
        var tags = new[] { "v1.0.0", "v1.0.1", "v1.0.2", "v1.0.3", "v1.0.4" }.Select(t => SampleEvents.Tag(t)).ToList();
        foreach (var message in tags)
        {
            await stack.SendAsync(message, CancellationToken.None);
            await stack.WaitForInProgressAsync(message);
        }

        var runs = tags.Select(m => stack.RunOf(m)).ToList();
        foreach (var run in runs)
        {
            stack.Prefect.SetState(run.Id, StateTypes.Running);
        }

        stack.Prefect.SetState(runs[0].Id, StateTypes.Completed);
        stack.Prefect.SetState(runs[1].Id, StateTypes.Failed, message: "ValueError: the release notes are empty");
        stack.Prefect.SetState(runs[2].Id, StateTypes.Crashed, message: "Flow run infrastructure exited with non-zero status code 137.");
        stack.Prefect.SetState(runs[3].Id, StateTypes.Cancelled);
        stack.Prefect.SetState(runs[4].Id, StateTypes.Failed, "TimedOut", "Flow run exceeded timeout of 3600.0 second(s)");

        string[] expected = ["SUCCESSFUL", "FAILED", "FAILED", "STOPPED", "FAILED"];
        for (var i = 0; i < runs.Count; i++)
        {
            await stack.WaitForStatusAsync(runs[i], expected[i]);
        }

        Assert.Matches(@"^Completed in \d+s$", stack.StatusOf(runs[0])!.Description);
        Assert.Matches(@"^Failed after \d+s: ValueError: the release notes are empty$", stack.StatusOf(runs[1])!.Description);
        Assert.Matches(@"^Crashed after \d+s: Flow run infrastructure exited with non-zero status code 137\.$", stack.StatusOf(runs[2])!.Description);
        Assert.Matches(@"^Cancelled after \d+s$", stack.StatusOf(runs[3])!.Description);
        Assert.Matches(@"^TimedOut after \d+s: Flow run exceeded timeout", stack.StatusOf(runs[4])!.Description);

        // Running changed nothing on the commit: each run got exactly INPROGRESS, then its final status.
        foreach (var (run, state) in runs.Zip(expected))
        {
            Assert.Equal(["INPROGRESS", state], stack.PostsOf(run).Select(p => p.State));
        }
    }

    [Fact]
    public async Task Final_status_follows_the_terminal_state_through_the_event_stream_alone()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).FollowingOutcomes().StartAsync();
        var message = SampleEvents.Tag("v2.1.0");
        await stack.SendAsync(message, CancellationToken.None);
        await stack.WaitForInProgressAsync(message);
        var run = stack.RunOf(message);
        await stack.Worker.WaitForStartupSweepsAsync();
        var filtersBefore = stack.Prefect.CallCount(PrefectEndpoints.FilterFlowRuns);
        var readsBefore = stack.Prefect.CallCount(PrefectEndpoints.ReadFlowRun);

        stack.Prefect.SetState(run.Id, StateTypes.Running);
        stack.Prefect.SetState(run.Id, StateTypes.Completed);
        await stack.WaitForStatusAsync(run, "SUCCESSFUL");

        // Reported from the events alone: their tags say which commit, the Running event when the run started.
        Assert.Equal(filtersBefore, stack.Prefect.CallCount(PrefectEndpoints.FilterFlowRuns));
        Assert.Equal(readsBefore, stack.Prefect.CallCount(PrefectEndpoints.ReadFlowRun));
        Assert.Matches("^Completed in [0-9]+s$", stack.StatusOf(run)!.Description);
        Assert.Equal(1, stack.Prefect.EventStreams.Accepted);
        Assert.Equal(0, stack.Prefect.CallCount(PrefectEndpoints.UpdateFlowRunLabels));
    }

    [Fact]
    public async Task Dropped_event_stream_reconnects_and_backfills_what_it_missed()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).FollowingOutcomes().StartAsync();
        var message = SampleEvents.Tag("v2.2.0");
        await stack.SendAsync(message, CancellationToken.None);
        await stack.WaitForInProgressAsync(message);
        await stack.Prefect.WaitForAsync(() => stack.Prefect.EventStreams.Open == 1, OutcomeWaits.Deadline);
        var run = stack.RunOf(message);

        stack.Prefect.RefuseEventStreams = true;
        stack.Prefect.DropEventStreams();
        await stack.Prefect.WaitForAsync(() => stack.Prefect.EventStreams.Refused >= 1, OutcomeWaits.Deadline);
        stack.Prefect.SetState(run.Id, StateTypes.Completed);
        stack.Prefect.RefuseEventStreams = false;

        await stack.WaitForStatusAsync(run, "SUCCESSFUL");
        Assert.True(stack.Prefect.EventStreams.Accepted >= 2);
        Assert.Equal(["INPROGRESS", "SUCCESSFUL"], stack.PostsOf(run).Select(p => p.State));
    }

    [Fact]
    public async Task Unfinished_states_change_the_description_only_when_there_is_something_to_tell()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).FollowingOutcomes().StartAsync();
        var message = SampleEvents.Tag("v2.3.0");
        await stack.SendAsync(message, CancellationToken.None);
        await stack.WaitForInProgressAsync(message);
        var run = stack.RunOf(message);

        stack.Prefect.SetState(run.Id, StateTypes.Scheduled, "Late");
        await stack.Bitbucket.WaitForAsync(() => stack.PostsOf(run).Any(p => p.Description.StartsWith("Late", StringComparison.Ordinal)), OutcomeWaits.Deadline);
        stack.Prefect.SetState(run.Id, StateTypes.Scheduled, "Late");
        stack.Prefect.SetState(run.Id, StateTypes.Pending);
        stack.Prefect.SetState(run.Id, StateTypes.Running);
        stack.Prefect.SetState(run.Id, StateTypes.Completed);
        await stack.WaitForStatusAsync(run, "SUCCESSFUL");

        Assert.Equal(
            [("INPROGRESS", $"Prefect flow run {run.Name} scheduled"), ("INPROGRESS", "Late: not started at its scheduled time"), ("SUCCESSFUL", stack.StatusOf(run)!.Description!)],
            stack.PostsOf(run));
    }
}
