using System.Net;
using System.Text.Json.Nodes;
using Bridge.Sandbox.Emulators;
using Xunit;

namespace Bridge.Tests.Emulators;

public sealed class PrefectDeploymentTests : PrefectEmulatorTests
{
    [Fact]
    public async Task Deployment_is_found_by_flow_and_deployment_name()
    {
        var deployment = prefect.AddDeployment(
            "my flow", "prod", parameters: new JsonObject { ["env"] = "prod" }, tags: ["ci"], workPoolName: "k8s");

        using var response = await http.GetAsync("deployments/name/my%20flow/prod");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(deployment.Id.ToString(), body["id"]!.GetValue<string>());
        Assert.Equal(deployment.FlowId.ToString(), body["flow_id"]!.GetValue<string>());
        Assert.Equal("prod", body["name"]!.GetValue<string>());
        Assert.Equal("prod", body["parameters"]!["env"]!.GetValue<string>());
        Assert.Equal("k8s", body["work_pool_name"]!.GetValue<string>());
        Assert.Equal("default", body["work_queue_name"]!.GetValue<string>());
        Assert.True(body["enforce_parameter_schema"]!.GetValue<bool>());
        Assert.Equal("READY", body["status"]!.GetValue<string>());
        Assert.Equal("""["ci"]""", body["tags"]!.ToJsonString());
    }

    [Fact]
    public async Task Unknown_deployment_name_answers_404()
    {
        prefect.AddDeployment("etl", "prod");

        using var response = await http.GetAsync("deployments/name/etl/staging");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Deployment not found", (await response.ReadJsonAsync())["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deployment_is_read_by_id_and_unknown_id_answers_404()
    {
        var deployment = prefect.AddDeployment("etl", "prod");

        using var found = await http.GetAsync($"deployments/{deployment.Id}");
        using var missing = await http.GetAsync($"deployments/{Guid.NewGuid()}");
        using var malformed = await http.GetAsync("deployments/not-a-uuid");

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, malformed.StatusCode);
    }

    [Fact]
    public void Deployments_of_one_flow_share_its_flow_id()
    {
        var a = prefect.AddDeployment("etl", "prod");
        var b = prefect.AddDeployment("etl", "staging");
        var c = prefect.AddDeployment("other", "prod");

        Assert.Equal(a.FlowId, b.FlowId);
        Assert.NotEqual(a.FlowId, c.FlowId);
        Assert.Throws<InvalidOperationException>(() => prefect.AddDeployment("etl", "prod"));
    }
}
