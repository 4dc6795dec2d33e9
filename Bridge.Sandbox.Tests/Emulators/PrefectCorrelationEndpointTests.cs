using System.Net;
using System.Text.Json.Nodes;
using Bridge.Sandbox.Emulators;

namespace Bridge.Tests.Emulators;

/// <summary>What following runs to their end needs from the emulator: filters by end time, deletion, labels, variables, cancelling.</summary>
public sealed class PrefectCorrelationEndpointTests : PrefectEmulatorTests
{
    private DeploymentRecord deployment = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        deployment = prefect.AddDeployment("etl", "prod");
    }

    private FlowRunRecord Run(params string[] tags) => prefect.AddFlowRun(deployment, tags, new Dictionary<string, string>());

    private async Task<List<string>> FilterAsync(string flowRuns)
    {
        using var response = await http.PostJsonAsync("flow_runs/filter", $$"""{"flow_runs": {{flowRuns}}, "sort": "END_TIME_DESC" }""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.ReadJsonAsync()).AsArray().Select(r => r!["id"]!.GetValue<string>())];
    }

    [Fact]
    public async Task Filter_finds_tagged_runs_in_terminal_states_that_ended_after_a_time()
    {
        var before = Run("bridge");
        prefect.SetState(before.Id, StateTypes.Completed);
        var since = DateTimeOffset.UtcNow.AddMilliseconds(1);
        await Task.Delay(5);
        var failed = Run("bridge");
        prefect.SetState(failed.Id, StateTypes.Failed);
        var untagged = Run("other");
        prefect.SetState(untagged.Id, StateTypes.Completed);
        Run("bridge");

        var found = await FilterAsync($$"""
            {"tags": {"all_": ["bridge"]}, "state": {"type": {"any_": ["COMPLETED","FAILED","CANCELLED","CRASHED"] } },
             "end_time": {"after_": "{{since:O}}" } }
            """);
        var open = await FilterAsync("""{"end_time": {"is_null_": true}}""");

        Assert.Equal([failed.Id.ToString()], found);
        Assert.Single(open);
    }

    [Fact]
    public async Task Deleted_run_is_gone_and_a_second_delete_answers_404()
    {
        var run = Run();

        using var deleted = await http.DeleteAsync(new Uri($"flow_runs/{run.Id}", UriKind.Relative));
        using var again = await http.DeleteAsync(new Uri($"flow_runs/{run.Id}", UriKind.Relative));
        using var read = await http.GetAsync($"flow_runs/{run.Id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task Labels_patch_merges_into_the_runs_labels()
    {
        var run = prefect.AddFlowRun(deployment, [], new Dictionary<string, string> { ["bridge.route"] = "release" });

        using var response = await http.PatchAsync(new Uri($"flow_runs/{run.Id}/labels", UriKind.Relative), EmulatorHttp.Json("""{"bridge.reported":"SUCCESSFUL"}"""));
        using var invalid = await http.PatchAsync(new Uri($"flow_runs/{run.Id}/labels", UriKind.Relative), EmulatorHttp.Json("""["not", "a", "dict"]"""));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        var labels = prefect.FindFlowRun(run.Id)!.Labels;
        Assert.Equal("release", labels["bridge.route"]!.GetValue<string>());
        Assert.Equal("SUCCESSFUL", labels["bridge.reported"]!.GetValue<string>());
        Assert.Equal(deployment.Id.ToString(), labels["prefect.deployment.id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Variable_is_created_read_and_updated_by_name()
    {
        using var missing = await http.GetAsync("variables/name/bridge-watermark");
        using var patchMissing = await http.PatchAsync(new Uri("variables/name/bridge-watermark", UriKind.Relative), EmulatorHttp.Json("""{"value":"x"}"""));
        using var created = await http.PostJsonAsync("variables/", """{"name":"bridge-watermark","value":"2026-11-22T10:00:00.000000Z"}""");
        using var duplicate = await http.PostJsonAsync("variables/", """{"name":"bridge-watermark","value":"again"}""");
        using var badName = await http.PostJsonAsync("variables/", """{"name":"Bridge.Watermark","value":"x"}""");
        using var tooLong = await http.PostJsonAsync("variables/", $$"""{"name":"big","value":"{{new string('x', 5000)}}"}""");
        using var updated = await http.PatchAsync(new Uri("variables/name/bridge-watermark", UriKind.Relative), EmulatorHttp.Json("""{"value":"2026-11-22T11:00:00.000000Z"}"""));
        using var read = await http.GetAsync("variables/name/bridge-watermark");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, patchMissing.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badName.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, updated.StatusCode);
        Assert.Equal("2026-11-22T11:00:00.000000Z", (await read.ReadJsonAsync())["value"]!.GetValue<string>());
        Assert.Equal(
            ["2026-11-22T10:00:00.000000Z", "2026-11-22T11:00:00.000000Z"],
            prefect.VariableWrites("bridge-watermark").Select(w => w.Value!.GetValue<string>()));
        Assert.Empty(prefect.VariableWrites("big"));
    }

    [Fact]
    public async Task Cancelling_a_run_that_never_started_cancels_it_at_once_but_a_running_one_goes_through_cancelling()
    {
        var scheduled = Run();
        var running = Run();
        prefect.SetState(running.Id, StateTypes.Running);

        using var first = await http.PostJsonAsync($"flow_runs/{scheduled.Id}/set_state", """{"state":{"type":"CANCELLING","name":"Cancelling","message":"superseded"}}""");
        using var second = await http.PostJsonAsync($"flow_runs/{running.Id}/set_state", """{"state":{"type":"CANCELLING","name":"Cancelling"}}""");

        Assert.Equal("CANCELLED", (await first.ReadJsonAsync())["state"]!["type"]!.GetValue<string>());
        Assert.Equal("superseded", prefect.FindFlowRun(scheduled.Id)!.StateMessage);
        Assert.Equal("CANCELLING", prefect.FindFlowRun(running.Id)!.StateType);
        Assert.Contains(prefect.Events, e => e["event"]!.GetValue<string>() == "prefect.flow-run.Cancelled");
    }

    [Fact]
    public async Task Deployment_reports_not_ready_when_told_no_worker_polls()
    {
        prefect.SetDeploymentStatus(deployment.Id, "NOT_READY");

        using var response = await http.GetAsync($"deployments/{deployment.Id}");

        Assert.Equal("NOT_READY", (await response.ReadJsonAsync())["status"]!.GetValue<string>());
    }
}
