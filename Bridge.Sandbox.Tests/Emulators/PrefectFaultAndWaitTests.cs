using System.Net;
using Bridge.Sandbox.Emulators;
using Xunit;

namespace Bridge.Tests.Emulators;

public sealed class PrefectFaultAndWaitTests : PrefectEmulatorTests
{
    private DeploymentRecord deployment = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        deployment = prefect.AddDeployment("etl", "prod");
    }

    [Fact]
    public async Task Fail_next_answers_the_injected_status_the_given_number_of_times()
    {
        prefect.FailNext(PrefectEndpoints.CreateFlowRun, 2, 503, TimeSpan.FromSeconds(2));

        using var first = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), """{"idempotency_key":"k"}""");
        using var second = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), """{"idempotency_key":"k"}""");
        using var third = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), """{"idempotency_key":"k"}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), first.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(HttpStatusCode.Created, third.StatusCode);
        Assert.Equal([503, 503, 201], prefect.CreateFlowRunCalls.Select(c => c.StatusCode));
        Assert.Single(prefect.FlowRuns);
    }

    [Fact]
    public async Task Fault_on_one_endpoint_leaves_the_others_alone()
    {
        prefect.FailNext(PrefectEndpoints.ReadDeploymentByName, 1, 429);

        using var limited = await http.GetAsync("deployments/name/etl/prod");
        using var other = await http.GetAsync($"deployments/{deployment.Id}");
        using var again = await http.GetAsync("deployments/name/etl/prod");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Null(limited.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, prefect.CallCount(PrefectEndpoints.ReadDeploymentByName));
    }

    [Fact]
    public void Fail_next_refuses_an_unknown_endpoint_name()
    {
        var error = Assert.Throws<ArgumentException>(() => prefect.FailNext("create-flow-run", 1, 503));

        Assert.Contains(PrefectEndpoints.CreateFlowRun, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_for_completes_when_a_run_is_created_elsewhere()
    {
        var wait = prefect.WaitForAsync(() => prefect.FlowRuns.Count == 1, TimeSpan.FromSeconds(10));
        Assert.False(wait.IsCompleted);

        using var response = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), "{}");

        await wait;
        Assert.Single(prefect.FlowRuns);
    }

    [Fact]
    public async Task Wait_for_times_out_when_the_condition_never_holds()
    {
        await Assert.ThrowsAsync<TimeoutException>(
            () => prefect.WaitForAsync(() => prefect.FlowRuns.Count > 0, TimeSpan.FromMilliseconds(200)));
    }
}
