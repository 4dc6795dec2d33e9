using System.Net;
using System.Text.Json.Nodes;
using Bridge.Sandbox.Emulators;
using Xunit;

namespace Bridge.Tests.Emulators;

public sealed class PrefectCreateFlowRunValidationTests : PrefectEmulatorTests
{
    [Fact]
    public async Task Unknown_field_in_create_flow_run_is_rejected_with_422()
    {
        var deployment = prefect.AddDeployment("etl", "prod");

        using var response = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), """{"bogus":1,"parameters":{}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("Invalid request received.", body["exception_message"]!.GetValue<string>());
        var error = Assert.Single(body["exception_detail"]!.AsArray())!;
        Assert.Equal("extra_forbidden", error["type"]!.GetValue<string>());
        Assert.Equal("""["body","bogus"]""", error["loc"]!.ToJsonString());
        Assert.Equal(1, body["request_body"]!["bogus"]!.GetValue<int>());
        Assert.Empty(prefect.FlowRuns);
    }

    [Fact]
    public async Task Wrong_type_in_create_flow_run_is_rejected_with_422()
    {
        var deployment = prefect.AddDeployment("etl", "prod");

        using var response = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), """{"idempotency_key":5,"tags":"ci"}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = (await response.ReadJsonAsync())["exception_detail"]!.AsArray();
        Assert.Contains(errors, e => e!["loc"]!.ToJsonString() == """["body","idempotency_key"]""" && e["type"]!.GetValue<string>() == "string_type");
        Assert.Contains(errors, e => e!["loc"]!.ToJsonString() == """["body","tags"]""" && e["type"]!.GetValue<string>() == "list_type");
    }

    [Fact]
    public async Task Unknown_state_type_is_rejected_with_422_naming_the_field()
    {
        var deployment = prefect.AddDeployment("etl", "prod");

        using var response = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), """{"state":{"type":"DONE"}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = Assert.Single((await response.ReadJsonAsync())["exception_detail"]!.AsArray())!;
        Assert.Equal("""["body","state","type"]""", error["loc"]!.ToJsonString());
        Assert.Equal("enum", error["type"]!.GetValue<string>());
        Assert.Contains("'SCHEDULED'", error["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_body_is_rejected_with_422()
    {
        var deployment = prefect.AddDeployment("etl", "prod");

        using var response = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), string.Empty);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("missing", (await response.ReadJsonAsync())["exception_detail"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parameters_violating_an_enforced_schema_are_refused_with_409()
    {
        var deployment = prefect.AddDeployment("etl", "prod", parameterSchema: CommitSchema());

        using var refused = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), """{"parameters":{"commit":1},"idempotency_key":"k"}""");
        using var accepted = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), """{"parameters":{"commit":"abc"},"idempotency_key":"k"}""");
        using var retriedInvalid = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), """{"parameters":{"commit":2},"idempotency_key":"k"}""");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(
            "Error creating flow run: Validation failed for field 'commit'. Failure reason: 1 is not of type 'string'",
            (await refused.ReadJsonAsync())["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, retriedInvalid.StatusCode);
    }

    [Fact]
    public async Task Missing_required_parameter_is_refused_with_409_at_the_root()
    {
        var deployment = prefect.AddDeployment("etl", "prod", parameterSchema: CommitSchema());

        using var response = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), "{}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(
            "Error creating flow run: Validation failed. Failure reason: 'commit' is a required property",
            (await response.ReadJsonAsync())["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Schema_is_not_enforced_when_the_request_turns_enforcement_off()
    {
        var deployment = prefect.AddDeployment("etl", "prod", parameterSchema: CommitSchema());

        using var response = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), """{"parameters":{"commit":1},"enforce_parameter_schema":false}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_deployment_answers_404()
    {
        using var response = await http.PostJsonAsync($"deployments/{Guid.NewGuid()}/create_flow_run", "{}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Deployment not found", (await response.ReadJsonAsync())["detail"]!.GetValue<string>());
    }

    private static JsonObject CommitSchema() => new()
    {
        ["title"] = "Parameters",
        ["type"] = "object",
        ["properties"] = new JsonObject { ["commit"] = new JsonObject { ["title"] = "commit", ["type"] = "string" } },
        ["required"] = new JsonArray("commit"),
    };
}
