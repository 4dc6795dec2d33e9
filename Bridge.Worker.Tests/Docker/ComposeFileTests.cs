using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NJsonSchema;

namespace Bridge.Tests.Docker;

/// <summary>
/// <c>docker/compose.yaml</c> without a container engine: it is a valid Compose file (the Compose Specification's
/// own schema, vendored in docker/schema/), and it keeps what the schema cannot see: loopback-only ports, no default
/// RabbitMQ credentials, health checks behind every <c>depends_on</c>, and Prefect deployments that are the ones the
/// example routes name.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly Lazy<Task<JsonSchema>> Schema = new(() => JsonSchema.FromFileAsync(ShippedFiles.Path("docker/schema/compose-spec.json")));

    private static JsonObject Compose() => (JsonObject)ShippedFiles.YamlAsJson(ShippedFiles.Read("docker/compose.yaml"))!;

    private static JsonObject Services() => (JsonObject)Compose()["services"]!;

    [Fact]
    public async Task The_compose_file_is_valid_against_the_compose_specification()
    {
        var errors = (await Schema.Value).Validate(Compose().ToJsonString());

        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Theory]
    [InlineData("services:\n  a:\n    image: x\n    ports: { a: 1 }\n")]
    [InlineData("services:\n  a:\n    image: x\n    no_such_key: 1\n")]
    [InlineData("services:\n  a:\n    image: x\n    depends_on: { b: { condition: service_sleeping } }\n")]
    [InlineData("services:\n  a:\n    image: x\n    healthcheck: { every: 10s }\n")]
    public async Task The_schema_refuses_a_broken_compose_file(string yaml)
    {
        var errors = (await Schema.Value).Validate(ShippedFiles.YamlAsJson(yaml)!.ToJsonString());

        Assert.NotEmpty(errors);
    }

    [Fact]
    public void Every_published_port_is_bound_to_loopback()
    {
        var ports = Services().SelectMany(s => (s.Value!["ports"] as JsonArray ?? []).Select(p => (Service: s.Key, Port: p!.GetValue<string>()))).ToList();

        Assert.NotEmpty(ports);
        Assert.All(ports, p => Assert.True(p.Port.StartsWith("127.0.0.1:", StringComparison.Ordinal), $"{p.Service} publishes {p.Port} on every interface"));
    }

    [Fact]
    public void Every_service_another_waits_for_has_the_healthcheck_or_exit_it_waits_on()
    {
        var services = Services();
        var waits = services.SelectMany(s => ((s.Value!["depends_on"] as JsonObject) ?? []).Select(d => (Waiter: s.Key, On: d.Key, Condition: d.Value!["condition"]!.GetValue<string>()))).ToList();

        Assert.NotEmpty(waits);
        Assert.All(waits, w =>
        {
            Assert.True(services.ContainsKey(w.On), $"{w.Waiter} depends on {w.On}, which is not a service");
            var target = services[w.On]!;
            switch (w.Condition)
            {
                case "service_healthy":
                    Assert.True(target["healthcheck"]?["test"] is not null, $"{w.Waiter} waits for {w.On} to be healthy, which has no healthcheck");
                    break;
                case "service_completed_successfully":
                    Assert.True(target["restart"]?.GetValue<string>() == "no", $"{w.On} is a one-shot service: restart must be \"no\"");
                    break;
                default:
                    Assert.Fail($"{w.Waiter} waits for {w.On} only to start ({w.Condition}): wait for its health check");
                    break;
            }
        });
    }

    [Fact]
    public void RabbitMQ_is_version_4_with_credentials_from_the_environment_never_guest()
    {
        var rabbitmq = Services()["rabbitmq"]!;
        var compose = ShippedFiles.Read("docker/compose.yaml");

        Assert.Equal("rabbitmq:4-management", rabbitmq["image"]!.GetValue<string>());
        Assert.Matches(@"^\$\{RABBITMQ_PASSWORD:\?", rabbitmq["environment"]!["RABBITMQ_DEFAULT_PASS"]!.GetValue<string>());
        Assert.DoesNotContain("guest", compose, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_bridge_service_opens_and_publishes_its_ingress()
    {
        var bridge = Services()["bridge"]!;
        var environment = ((JsonArray)bridge["environment"]!).Select(e => e!.GetValue<string>()).ToList();

        Assert.Contains("Bridge__Ingress__Enabled=true", environment);
        var port = environment.Single(e => e.StartsWith("Bridge__Ingress__Port=", StringComparison.Ordinal)).Split('=')[1];
        Assert.Contains($"127.0.0.1:{port}:{port}", ((JsonArray)bridge["ports"]!).Select(p => p!.GetValue<string>()));
        Assert.Equal("docker/Dockerfile", bridge["build"]!["dockerfile"]!.GetValue<string>());
    }

    [Fact]
    public void The_seeded_deployments_are_the_ones_the_example_routes_name_with_their_parameters()
    {
        var routes = ((JsonArray)ShippedFiles.YamlAsJson(ShippedFiles.Read("docker/routes.example.yaml"))!["routes"]!)
            .Select(r => (Deployment: r!["deployment"]!.GetValue<string>(), Parameters: ((JsonObject)r["parameters"]!).Select(p => p.Key).Order(StringComparer.Ordinal).ToList()))
            .ToList();
        var flows = Flows(ShippedFiles.Read("docker/prefect/flows.py"));
        var deployments = Deployments(ShippedFiles.Read("docker/prefect/deploy.py"), flows);

        Assert.NotEmpty(routes);
        Assert.Equal(routes.Select(r => r.Deployment).Order(StringComparer.Ordinal), deployments.Keys.Order(StringComparer.Ordinal));
        Assert.All(routes, r => Assert.Equal(r.Parameters, flows[deployments[r.Deployment]].Parameters));
    }

    [Fact]
    public void The_seeding_service_creates_the_work_pool_the_worker_serves_and_deploy_py_uses()
    {
        var services = Services();
        var setup = string.Join(' ', ((JsonArray)services["prefect-setup"]!["command"]!).Select(c => c!.GetValue<string>()));
        var worker = ((JsonArray)services["prefect-worker"]!["command"]!).Select(c => c!.GetValue<string>()).ToList();
        var pool = worker[worker.IndexOf("--pool") + 1];

        Assert.Contains($"prefect work-pool create {pool} --type process", setup, StringComparison.Ordinal);
        Assert.Equal("process", worker[worker.IndexOf("--type") + 1]);
        Assert.Equal(pool, services["prefect-setup"]!["environment"]!["BRIDGE_WORK_POOL"]!.GetValue<string>());
    }

    /// <summary>Each <c>@flow(name=…)</c> in flows.py: its function and its parameter names.</summary>
    private static Dictionary<string, (string Function, List<string> Parameters)> Flows(string python) =>
        FlowDefinition().Matches(python).ToDictionary(
            m => m.Groups["name"].Value,
            m => (m.Groups["function"].Value, m.Groups["parameters"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => p.Split(':')[0].Trim()).Order(StringComparer.Ordinal).ToList()),
            StringComparer.Ordinal);

    /// <summary>deploy.py's (entrypoint, deployment name) pairs as "flow/deployment" → flow name.</summary>
    private static Dictionary<string, string> Deployments(string python, Dictionary<string, (string Function, List<string> Parameters)> flows) =>
        DeploymentEntry().Matches(python).ToDictionary(
            m => $"{flows.Single(f => f.Value.Function == m.Groups["function"].Value).Key}/{m.Groups["deployment"].Value}",
            m => flows.Single(f => f.Value.Function == m.Groups["function"].Value).Key,
            StringComparer.Ordinal);

    [GeneratedRegex("""@flow\(name="(?<name>[^"]+)"\)\s*\ndef (?<function>\w+)\((?<parameters>[^)]*)\)""")]
    private static partial Regex FlowDefinition();

    [GeneratedRegex("""\("flows\.py:(?<function>\w+)", "(?<deployment>[^"]+)"\)""")]
    private static partial Regex DeploymentEntry();
}
