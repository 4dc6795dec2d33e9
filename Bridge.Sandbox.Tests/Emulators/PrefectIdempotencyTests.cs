using System.Net;
using Bridge.Sandbox.Emulators;
using Xunit;

namespace Bridge.Tests.Emulators;

public sealed class PrefectIdempotencyTests : PrefectEmulatorTests
{
    [Fact]
    public async Task Repeated_idempotency_key_returns_201_then_200_with_the_original_run()
    {
        var deployment = prefect.AddDeployment("etl", "prod");

        using var first = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), """{"idempotency_key":"k-1","parameters":{"commit":"a"}}""");
        using var second = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), """{"idempotency_key":"k-1","parameters":{"commit":"b"},"tags":["new"]}""");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var original = await first.ReadJsonAsync();
        var repeated = await second.ReadJsonAsync();
        Assert.Equal(original["id"]!.GetValue<string>(), repeated["id"]!.GetValue<string>());
        Assert.Equal("a", repeated["parameters"]!["commit"]!.GetValue<string>());
        Assert.DoesNotContain("new", repeated["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Single(prefect.FlowRuns);
    }

    [Fact]
    public async Task Same_idempotency_key_on_two_flows_creates_two_runs()
    {
        var one = prefect.AddDeployment("flow-one", "prod");
        var two = prefect.AddDeployment("flow-two", "prod");

        using var a = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(one), """{"idempotency_key":"shared"}""");
        using var b = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(two), """{"idempotency_key":"shared"}""");

        Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        Assert.Equal(HttpStatusCode.Created, b.StatusCode);
        Assert.Equal(2, prefect.FlowRuns.Count);
    }

    [Fact]
    public async Task Two_deployments_of_one_flow_share_the_idempotency_key_space()
    {
        var release = prefect.AddDeployment("shared-flow", "release");
        var checks = prefect.AddDeployment("shared-flow", "checks");

        using var a = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(release), """{"idempotency_key":"same"}""");
        using var b = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(checks), """{"idempotency_key":"same"}""");

        Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
        Assert.Equal(release.Id.ToString(), (await b.ReadJsonAsync())["deployment_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_without_key_is_always_new()
    {
        var deployment = prefect.AddDeployment("etl", "prod");

        using var a = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), "{}");
        using var b = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), "{}");

        Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        Assert.Equal(HttpStatusCode.Created, b.StatusCode);
        Assert.Equal(2, prefect.FlowRuns.Count);
    }

    [Fact]
    public async Task Flow_run_created_event_fires_once_per_new_run()
    {
        var deployment = prefect.AddDeployment("etl", "prod");
        var created = new List<FlowRunRecord>();
        prefect.FlowRunCreated += run => { lock (created) { created.Add(run); } };

        using var a = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), """{"idempotency_key":"once"}""");
        using var b = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), """{"idempotency_key":"once"}""");

        var run = Assert.Single(created);
        Assert.Equal("once", run.IdempotencyKey);
        Assert.Equal(deployment.Id, run.DeploymentId);
    }

    [Fact]
    public async Task Concurrent_creates_with_one_key_make_one_run()
    {
        var deployment = prefect.AddDeployment("etl", "prod");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), """{"idempotency_key":"race"}""")));

        Assert.Single(prefect.FlowRuns);
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
