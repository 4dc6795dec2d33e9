using System.Text.Json;
using Bridge.Worker.Correlation;
using Bridge.Worker.Prefect;

namespace Bridge.Tests.Correlation;

public sealed class StatusTextTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static PrefectFlowRun Run(string type, string name, string? message = null, TimeSpan? ran = null) => new()
    {
        Id = Guid.NewGuid(),
        Name = "crimson-fox",
        StateType = type,
        StateName = name,
        State = new PrefectState { Type = type, Name = name, Message = message },
        StartTime = ran is null ? null : Start,
        EndTime = ran is null ? null : Start + ran.Value,
    };

    [Theory]
    [InlineData("COMPLETED", "Completed", "SUCCESSFUL")]
    [InlineData("FAILED", "Failed", "FAILED")]
    [InlineData("FAILED", "TimedOut", "FAILED")]
    [InlineData("CRASHED", "Crashed", "FAILED")]
    [InlineData("CANCELLED", "Cancelled", "STOPPED")]
    public void Terminal_state_maps_to_its_build_state(string type, string name, string expected) =>
        Assert.Equal(expected, StatusText.For(Run(type, name, ran: TimeSpan.FromSeconds(5)))!.State);

    [Fact]
    public void Description_names_the_state_its_message_and_the_duration()
    {
        Assert.Equal("Completed in 1m 23s", StatusText.For(Run("COMPLETED", "Completed", ran: TimeSpan.FromSeconds(83)))!.Description);
        Assert.Equal(
            "TimedOut after 1h 00m: Flow run exceeded timeout of 3600.0 second(s)",
            StatusText.For(Run("FAILED", "TimedOut", "Flow run exceeded timeout of 3600.0 second(s)", TimeSpan.FromHours(1)))!.Description);
        Assert.Equal("Crashed after 7s: exit code 137", StatusText.For(Run("CRASHED", "Crashed", "exit\ncode   137", TimeSpan.FromSeconds(7)))!.Description);
        Assert.Equal("Cancelled before it started", StatusText.For(Run("CANCELLED", "Cancelled"))!.Description);
    }

    [Fact]
    public void Long_message_is_cut_to_fit_with_an_ellipsis()
    {
        var status = StatusText.For(Run("FAILED", "Failed", new string('x', 1000), TimeSpan.FromSeconds(2)))!;

        Assert.Equal(StatusText.MaxDescription, status.Description.Length);
        Assert.StartsWith("Failed after 2s: xxx", status.Description, StringComparison.Ordinal);
        Assert.EndsWith("…", status.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SCHEDULED", "Scheduled")]
    [InlineData("PENDING", "Pending")]
    [InlineData("RUNNING", "Running")]
    [InlineData("RUNNING", "Retrying")]
    [InlineData("CANCELLING", "Cancelling")]
    public void Unfinished_state_with_nothing_to_tell_calls_for_no_post(string type, string name) =>
        Assert.Null(StatusText.For(Run(type, name)));

    [Theory]
    [InlineData("SCHEDULED", "Late", "Late: not started at its scheduled time")]
    [InlineData("SCHEDULED", "AwaitingConcurrencySlot", "Waiting for a concurrency slot")]
    [InlineData("PAUSED", "Paused", "Paused")]
    public void Unfinished_state_worth_telling_stays_inprogress_with_a_description(string type, string name, string description)
    {
        var status = StatusText.For(Run(type, name))!;

        Assert.Equal("INPROGRESS", status.State);
        Assert.Equal(description, status.Description);
    }

    [Fact]
    public void Repair_descriptions_say_what_happened()
    {
        Assert.Equal(new StatusUpdate("STOPPED", "flow run deleted in Prefect"), StatusText.DeletedRun());
        Assert.Equal("superseded by 709d658dc5b6", StatusText.Superseded("709d658dc5b6d6afcd46049c2f332ee3f515a67d").Description);
        Assert.Equal("Scheduled, waiting for a worker in pool k8s-pool", StatusText.WaitingForWorker("k8s-pool").Description);
    }

    [Fact]
    public void Flow_run_event_is_read_with_its_state_and_bridge_tag()
    {
        var id = Guid.NewGuid();
        var item = JsonSerializer.Deserialize<System.Text.Json.Nodes.JsonObject>($$"""
            {"occurred": "2026-03-31T18:30:00.000000Z", "event": "prefect.flow-run.TimedOut",
             "resource": {"prefect.resource.id": "prefect.flow-run.{{id}}", "prefect.state-name": "TimedOut", "prefect.state-type": "FAILED"},
             "related": [{"prefect.resource.id": "prefect.tag.bridge", "prefect.resource.role": "tag"}],
             "id": "{{Guid.NewGuid()}}"}
            """)!;

        var parsed = FlowRunEvent.Parse(item)!;

        Assert.Equal(id, parsed.FlowRunId);
        Assert.True(parsed.IsBridgeRun);
        Assert.True(parsed.IsWorthReading);
        Assert.Equal("FAILED", parsed.StateType);
    }
}
