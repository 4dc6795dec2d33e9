using Bridge.Worker.Cli;
using Bridge.Worker.PipelineEvents;

namespace Bridge.Tests.Cli;

/// <summary><c>publish --wait</c> prints a line for each run that appears or changes state, with its link, and nothing for an unchanged answer.</summary>
public sealed class WaitProgressTests
{
    private static readonly Guid Run = Guid.NewGuid();

    [Fact]
    public void A_new_run_and_each_state_change_print_one_line_with_the_link()
    {
        var scheduled = Answer("SCHEDULED", "Scheduled", "INPROGRESS");
        var running = Answer("RUNNING", "Running", "INPROGRESS");
        var completed = Answer("COMPLETED", "Completed", "SUCCESSFUL");

        Assert.Equal(["route release: Scheduled (INPROGRESS) https://prefect.example.com/runs/flow-run/" + Run], PublishCommand.StateChanges(null, scheduled));
        Assert.Empty(PublishCommand.StateChanges(scheduled, scheduled));
        Assert.Equal(["route release: Running (INPROGRESS) https://prefect.example.com/runs/flow-run/" + Run], PublishCommand.StateChanges(scheduled, running));
        Assert.Equal(["route release: Completed (SUCCESSFUL) https://prefect.example.com/runs/flow-run/" + Run], PublishCommand.StateChanges(running, completed));
    }

    [Fact]
    public void An_answer_with_no_runs_yet_prints_nothing() =>
        Assert.Empty(PublishCommand.StateChanges(null, new FollowedEvent { EventId = Guid.NewGuid(), Finished = false, Succeeded = false, Routes = [] }));

    private static FollowedEvent Answer(string state, string name, string commitStatus) => new()
    {
        EventId = Guid.Empty,
        Finished = state == "COMPLETED",
        Succeeded = state == "COMPLETED",
        Routes =
        [
            new FollowedRoute
            {
                Route = "release",
                FlowRunId = Run,
                State = state,
                StateName = name,
                Final = state == "COMPLETED",
                Url = "https://prefect.example.com/runs/flow-run/" + Run,
                CommitStatus = commitStatus,
            },
        ],
    };
}
