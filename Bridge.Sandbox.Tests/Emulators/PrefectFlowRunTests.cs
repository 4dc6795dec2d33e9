using System.Net;
using System.Text.Json.Nodes;
using Bridge.Sandbox.Emulators;
using Xunit;

namespace Bridge.Tests.Emulators;

public sealed class PrefectFlowRunTests : PrefectEmulatorTests
{
    private DeploymentRecord deployment = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        deployment = prefect.AddDeployment("etl", "prod", tags: ["etl"]);
    }

    [Fact]
    public async Task Flow_run_is_read_by_id_and_unknown_id_answers_404()
    {
        var id = await CreateAsync("{}");

        using var found = await http.GetAsync($"flow_runs/{id}");
        using var missing = await http.GetAsync($"flow_runs/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(id.ToString(), (await found.ReadJsonAsync())["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("Flow run not found", (await missing.ReadJsonAsync())["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Set_state_over_http_moves_the_run_and_stamps_start_and_end()
    {
        var id = await CreateAsync("{}");

        using var running = await http.PostJsonAsync($"flow_runs/{id}/set_state", """{"state":{"type":"RUNNING"}}""");
        var afterRunning = prefect.FindFlowRun(id)!;
        using var completed = await http.PostJsonAsync($"flow_runs/{id}/set_state", """{"state":{"type":"COMPLETED","message":"done"},"force":true}""");

        Assert.Equal(HttpStatusCode.Created, running.StatusCode);
        var result = await completed.ReadJsonAsync();
        Assert.Equal("ACCEPT", result["status"]!.GetValue<string>());
        Assert.Equal("COMPLETED", result["state"]!["type"]!.GetValue<string>());
        Assert.Equal("Completed", result["state"]!["name"]!.GetValue<string>());
        Assert.NotNull(afterRunning.StartTime);
        Assert.Null(afterRunning.EndTime);
        var run = prefect.FindFlowRun(id)!;
        Assert.Equal("COMPLETED", run.StateType);
        Assert.Equal("done", run.StateMessage);
        Assert.Equal(afterRunning.StartTime, run.StartTime);
        Assert.NotNull(run.EndTime);
        Assert.Equal(1, run.RunCount);
    }

    [Fact]
    public async Task Set_state_with_unknown_type_is_rejected_with_422()
    {
        var id = await CreateAsync("{}");

        using var response = await http.PostJsonAsync($"flow_runs/{id}/set_state", """{"state":{"type":"FINISHED"}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("SCHEDULED", prefect.FindFlowRun(id)!.StateType);
    }

    [Fact]
    public async Task In_process_state_change_is_visible_over_http()
    {
        var id = await CreateAsync("{}");

        prefect.SetState(id, StateTypes.Failed, "TimedOut", "Flow run exceeded timeout");

        var run = await (await http.GetAsync($"flow_runs/{id}")).ReadJsonAsync();
        Assert.Equal("FAILED", run["state_type"]!.GetValue<string>());
        Assert.Equal("TimedOut", run["state_name"]!.GetValue<string>());
        Assert.Equal("Flow run exceeded timeout", run["state"]!["message"]!.GetValue<string>());
        Assert.NotNull(run["end_time"]);
    }

    [Fact]
    public async Task Filter_selects_by_id_tags_state_and_idempotency_key()
    {
        var a = await CreateAsync("""{"tags":["bitbucket","repo:api"],"idempotency_key":"ka"}""");
        var b = await CreateAsync("""{"tags":["bitbucket"],"idempotency_key":"kb"}""");
        var c = await CreateAsync("""{"idempotency_key":"kc"}""");
        prefect.SetState(c, StateTypes.Completed);

        Assert.Equal(Set(a, b), Set([.. await FilterAsync("{\"flow_runs\":{\"id\":{\"any_\":[\"" + a + "\",\"" + b + "\"]}}}")]));
        Assert.Equal(Set(a), Set([.. await FilterAsync("""{"flow_runs":{"tags":{"all_":["bitbucket","repo:api"]}}}""")]));
        Assert.Equal(Set(c), Set([.. await FilterAsync("""{"flow_runs":{"state":{"type":{"any_":["COMPLETED","FAILED"]}}}}""")]));
        Assert.Equal(Set(a, b), Set([.. await FilterAsync("""{"flow_runs":{"state":{"type":{"not_any_":["COMPLETED","FAILED","CANCELLED","CRASHED"]}}}}""")]));
        Assert.Equal(Set(b), Set([.. await FilterAsync("""{"flow_runs":{"idempotency_key":{"any_":["kb"]}}}""")]));
        Assert.Equal(Set(a, b, c), Set([.. await FilterAsync("{}")]));
    }

    [Fact]
    public async Task Filter_sorts_by_id_descending_and_pages_with_offset_and_limit()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await CreateAsync("{}"));
        }

        var expected = ids.OrderByDescending(id => id.ToString(), StringComparer.Ordinal).ToList();
        var all = await FilterAsync("{}");
        var page = await FilterAsync("""{"offset":1,"limit":2}""");

        Assert.Equal(expected, all);
        Assert.Equal(expected.Skip(1).Take(2), page);
    }

    [Theory]
    [InlineData(201)]
    [InlineData(-1)]
    public async Task Filter_limit_outside_0_to_200_is_rejected_with_422(int limit)
    {
        using var response = await http.PostJsonAsync("flow_runs/filter", $$"""{"limit":{{limit}}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("""["body","limit"]""", (await response.ReadJsonAsync())["exception_detail"]![0]!["loc"]!.ToJsonString());
    }

    [Fact]
    public async Task Filter_with_unknown_criterion_is_rejected_with_422()
    {
        using var response = await http.PostJsonAsync("flow_runs/filter", """{"flow_runs":{"tag":{"all_":["x"]}}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("extra_forbidden", (await response.ReadJsonAsync())["exception_detail"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ui_link_follows_prefects_route()
    {
        var id = await CreateAsync("{}");

        Assert.Equal($"{prefect.UiUrl}/runs/flow-run/{id}", prefect.FlowRunUiUrl(id));
        Assert.Equal(prefect.UiUrl + "/api", prefect.ApiUrl);
        Assert.StartsWith("http://127.0.0.1:", prefect.UiUrl, StringComparison.Ordinal);
    }

    private async Task<Guid> CreateAsync(string body)
    {
        using var response = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Guid.Parse((await response.ReadJsonAsync())["id"]!.GetValue<string>());
    }

    private static SortedSet<Guid> Set(params Guid[] ids) => [.. ids];

    private async Task<List<Guid>> FilterAsync(string body)
    {
        using var response = await http.PostJsonAsync("flow_runs/filter", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var runs = (await response.ReadJsonAsync()).AsArray();
        return runs.Select(r => Guid.Parse(r!["id"]!.GetValue<string>())).ToList();
    }
}
