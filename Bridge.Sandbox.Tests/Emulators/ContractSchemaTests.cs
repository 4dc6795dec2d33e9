using System.Net;
using System.Text.Json.Nodes;
using Bridge.Sandbox.Emulators;
using NJsonSchema.Validation;
using Xunit;

namespace Bridge.Tests.Emulators;

public sealed class ContractSchemaTests
{
    [Theory]
    [InlineData("DeploymentFlowRunCreate")]
    [InlineData("DeploymentResponse")]
    [InlineData("FlowRunResponse")]
    [InlineData("OrchestrationResult")]
    [InlineData("Body_set_flow_run_state_flow_runs__id__set_state_post")]
    [InlineData("Body_read_flow_runs_flow_runs_filter_post")]
    public async Task Prefect_definitions_compile(string name)
    {
        var schema = await ContractSchemaCatalog.Prefect.GetAsync(name);

        Assert.NotNull(schema);
        Assert.Same(schema, await ContractSchemaCatalog.Prefect.GetAsync(name));
    }

    [Fact]
    public async Task Deployment_flow_run_create_forbids_unknown_fields()
    {
        var violations = await ContractSchemaCatalog.Prefect.ValidateAsync("DeploymentFlowRunCreate", """{"bogus":1}""");

        var violation = Assert.Single(violations);
        Assert.Equal(ValidationErrorKind.NoAdditionalPropertiesAllowed, violation.Kind);
        Assert.Equal("bogus", violation.PathText);
    }

    [Fact]
    public async Task Deployment_flow_run_create_accepts_the_reference_example()
    {
        const string body = """
            {"name":"bb-merge-PR123-ab12cd3","parameters":{"commit":"ab12cd3"},"tags":["bitbucket"],
             "idempotency_key":"bitbucket:my-repo:merge:ab12cd3","context":{},"labels":{"bitbucket.repo":"my-repo","n":1,"b":true},
             "state":{"type":"SCHEDULED","name":"Scheduled","message":null,"state_details":{"scheduled_time":"2026-01-01T00:00:00Z"}},
             "job_variables":{"env":{"A":"1"}},"work_queue_name":null,"enforce_parameter_schema":null}
            """;

        Assert.Empty(await ContractSchemaCatalog.Prefect.ValidateAsync("DeploymentFlowRunCreate", body));
    }

    [Fact]
    public async Task Bitbucket_commitstatus_checks_the_state_enum_through_allOf()
    {
        var violations = await ContractSchemaCatalog.Bitbucket.ValidateAsync("commitstatus", """{"key":"k","state":"DONE","url":"https://x.org"}""");

        var violation = Assert.Single(violations);
        Assert.Equal(ValidationErrorKind.NotInEnumeration, violation.Kind);
        Assert.Equal("state", violation.PathText);
        Assert.Contains("SUCCESSFUL", violation.AllowedValues);
    }

    [Fact]
    public async Task Bitbucket_commitstatus_does_not_require_the_read_only_type()
    {
        Assert.Empty(await ContractSchemaCatalog.Bitbucket.ValidateAsync(
            "commitstatus", """{"key":"k","state":"SUCCESSFUL","url":"https://x.org","name":"n","description":"d","refname":"main"}"""));
    }

    [Fact]
    public async Task Prefect_emulator_responses_conform_to_the_contract()
    {
        await using var prefect = await PrefectEmulator.StartAsync();
        var deployment = prefect.AddDeployment(
            "etl", "prod", parameters: new JsonObject { ["a"] = 1 }, tags: ["x"],
            parameterSchema: new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() });
        using var http = EmulatorHttp.Client(prefect.ApiUrl);

        var deploymentJson = await (await http.GetAsync($"deployments/{deployment.Id}")).Content.ReadAsStringAsync();
        using var created = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), """{"labels":{"k":"v"}}""");
        var runJson = await created.Content.ReadAsStringAsync();
        var id = JsonNode.Parse(runJson)!["id"]!.GetValue<string>();
        var stateJson = await (await http.PostJsonAsync($"flow_runs/{id}/set_state", """{"state":{"type":"RUNNING"}}""")).Content.ReadAsStringAsync();
        var filterJson = await (await http.PostJsonAsync("flow_runs/filter", "{}")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Empty(await ContractSchemaCatalog.Prefect.ValidateAsync("DeploymentResponse", deploymentJson));
        Assert.Empty(await ContractSchemaCatalog.Prefect.ValidateAsync("FlowRunResponse", runJson));
        Assert.Empty(await ContractSchemaCatalog.Prefect.ValidateAsync("OrchestrationResult", stateJson));
        var listed = Assert.Single(JsonNode.Parse(filterJson)!.AsArray())!;
        Assert.Empty(await ContractSchemaCatalog.Prefect.ValidateAsync("FlowRunResponse", listed.ToJsonString()));
    }

    [Fact]
    public async Task Bitbucket_emulator_responses_conform_to_the_contract()
    {
        await using var bitbucket = await BitbucketEmulator.StartAsync();
        using var http = EmulatorHttp.Client(bitbucket.ApiUrl);

        using var posted = await http.PostJsonAsync(
            "repositories/acme/api/commit/abc/statuses/build", """{"key":"k","state":"INPROGRESS","url":"https://ci.example.com/1"}""");
        var statusJson = await posted.Content.ReadAsStringAsync();
        var listJson = await (await http.GetAsync("repositories/acme/api/commit/abc/statuses")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Empty(await ContractSchemaCatalog.Bitbucket.ValidateAsync("commitstatus", statusJson));
        Assert.Empty(await ContractSchemaCatalog.Bitbucket.ValidateAsync("paginated_commitstatuses", listJson));
    }
}
