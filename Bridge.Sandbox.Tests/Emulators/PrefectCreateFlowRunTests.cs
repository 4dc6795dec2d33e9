using System.Net;
using System.Text.Json.Nodes;
using Bridge.Sandbox.Emulators;
using Xunit;

namespace Bridge.Tests.Emulators;

public sealed class PrefectCreateFlowRunTests : PrefectEmulatorTests
{
    [Fact]
    public async Task Tags_are_united_parameters_merged_and_system_labels_added()
    {
        var deployment = prefect.AddDeployment(
            "etl", "prod", parameters: new JsonObject { ["branch"] = "main", ["env"] = "staging" }, tags: ["ci", "etl"]);

        using var response = await http.PostJsonAsync(
            PrefectPaths.CreateFlowRun(deployment),
            """{"parameters":{"env":"prod","commit":"abc"},"tags":["bitbucket","ci"],"labels":{"bitbucket.repo":"api"}}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var run = await response.ReadJsonAsync();
        Assert.Equal(
            new[] { "bitbucket", "ci", "etl" },
            run["tags"]!.AsArray().Select(t => t!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.True(JsonNode.DeepEquals(
            new JsonObject { ["branch"] = "main", ["env"] = "prod", ["commit"] = "abc" }, run["parameters"]));
        Assert.Equal("api", run["labels"]!["bitbucket.repo"]!.GetValue<string>());
        Assert.Equal(deployment.FlowId.ToString(), run["labels"]!["prefect.flow.id"]!.GetValue<string>());
        Assert.Equal(deployment.Id.ToString(), run["labels"]!["prefect.deployment.id"]!.GetValue<string>());
        var stored = Assert.Single(prefect.FlowRuns);
        Assert.Equal("prod", stored.Parameters["env"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_without_state_is_scheduled_and_carries_the_response_fields()
    {
        var deployment = prefect.AddDeployment("etl", "prod", workPoolName: "k8s");

        using var response = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), "{}");

        var run = await response.ReadJsonAsync();
        Assert.Equal("SCHEDULED", run["state_type"]!.GetValue<string>());
        Assert.Equal("Scheduled", run["state_name"]!.GetValue<string>());
        Assert.Equal("SCHEDULED", run["state"]!["type"]!.GetValue<string>());
        Assert.Equal(run["id"]!.GetValue<string>(), run["state"]!["state_details"]!["flow_run_id"]!.GetValue<string>());
        Assert.Equal(deployment.FlowId.ToString(), run["flow_id"]!.GetValue<string>());
        Assert.Equal("k8s", run["work_pool_name"]!.GetValue<string>());
        Assert.Matches("^[a-z]+-[a-z]+$", run["name"]!.GetValue<string>());
        Assert.EndsWith("Z", run["created"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(run["start_time"]);
        foreach (var field in new[] { "idempotency_key", "expected_start_time", "job_variables", "total_run_time", "empirical_policy" })
        {
            Assert.True(run.AsObject().ContainsKey(field), $"FlowRunResponse lacks '{field}'");
        }
    }

    [Fact]
    public async Task Every_create_call_is_recorded_with_its_status_code()
    {
        var deployment = prefect.AddDeployment("etl", "prod");

        using var bad = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), """{"bogus":true}""");
        using var good = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), """{"idempotency_key":"x"}""");

        var calls = prefect.CreateFlowRunCalls;
        Assert.Equal([422, 201], calls.Select(c => c.StatusCode));
        Assert.All(calls, c => Assert.Equal(deployment.Id, c.DeploymentId));
        Assert.True(calls[0].Body!["bogus"]!.GetValue<bool>());
        Assert.Null(calls[0].FlowRunId);
        Assert.Equal(prefect.FlowRuns.Single().Id, calls[1].FlowRunId);
        Assert.Equal(2, prefect.CallCount(PrefectEndpoints.CreateFlowRun));
    }
}
