using Bridge.Tests.Support;

namespace Bridge.Tests.EndToEnd;

/// <summary><c>bridge run</c> as a process: a wrong or missing setting stops it with exit code 2 and names the setting.</summary>
public sealed class ConfigurationTests : IDisposable
{
    private const int ConfigurationError = 2;

    private const string BrokerPassword = "cfg-test-broker-password";

    private const string ValidRoutes = """
        routes:
          - name: release
            match: { repository: "acme/*", events: [tag], ref: "v*" }
            deployment: release-flow/production
            parameters: { commit: "{{ commit }}" }
        """;

    private readonly string routesFile = Path.Combine(Path.GetTempPath(), $"bridge-config-test-{Guid.NewGuid():N}.yaml");

    [Fact]
    public async Task Missing_prefect_api_url_stops_start_up_with_exit_code_2_naming_the_setting()
    {
        var exit = await RunAsync(ValidRoutes, Without("Bridge:Prefect:ApiUrl"));

        Assert.True(exit.ExitCode == ConfigurationError, exit.ToString());
        Assert.Contains("Bridge:Prefect:ApiUrl", exit.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prefect_cloud_api_url_without_an_api_key_stops_start_up_with_exit_code_2_naming_the_setting()
    {
        var exit = await RunAsync(ValidRoutes, [.. Without("Bridge:Prefect:ApiUrl"), "--Bridge:Prefect:ApiUrl=https://api.prefect.cloud/api/accounts/a1/workspaces/w1"]);

        Assert.True(exit.ExitCode == ConfigurationError, exit.ToString());
        Assert.Contains("Bridge:Prefect:ApiKey is required: Bridge:Prefect:ApiUrl is a Prefect Cloud workspace", exit.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Zero_prefetch_count_stops_start_up_with_exit_code_2_naming_the_setting()
    {
        var exit = await RunAsync(ValidRoutes, [.. Valid(), "--Bridge:Broker:PrefetchCount=0"]);

        Assert.True(exit.ExitCode == ConfigurationError, exit.ToString());
        Assert.Contains("Bridge:Broker:PrefetchCount", exit.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_numeric_prefetch_count_stops_start_up_with_exit_code_2_naming_the_setting()
    {
        var exit = await RunAsync(ValidRoutes, [.. Valid(), "--Bridge:Broker:PrefetchCount=many"]);

        Assert.True(exit.ExitCode == ConfigurationError, exit.ToString());
        Assert.Contains("Bridge:Broker:PrefetchCount", exit.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delivery_limit_out_of_range_stops_start_up_with_exit_code_2_naming_the_setting()
    {
        var exit = await RunAsync(ValidRoutes, [.. Valid(), "--Bridge:Broker:DeliveryLimit=0"]);

        Assert.True(exit.ExitCode == ConfigurationError, exit.ToString());
        Assert.Contains("Bridge:Broker:DeliveryLimit must be between 1 and 1000 (got 0)", exit.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_placeholder_in_the_routes_file_stops_start_up_with_exit_code_2_naming_the_route_field()
    {
        var exit = await RunAsync(ValidRoutes.Replace("{{ commit }}", "{{ sha }}", StringComparison.Ordinal), Valid());

        Assert.True(exit.ExitCode == ConfigurationError, exit.ToString());
        Assert.Contains(routesFile, exit.Stderr, StringComparison.Ordinal);
        Assert.Contains("routes[0] ('release').parameters.commit: unknown placeholder '{{ sha }}'", exit.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_wrong_in_several_sections_are_all_named_with_exit_code_2()
    {
        var exit = await RunAsync(
            ValidRoutes,
            [
                .. Without("Bridge:Prefect:ApiUrl", "Bridge:Bitbucket:AccessToken"), "--Bridge:Broker:PrefetchCount=0",
                "--Bridge:Webhooks:Hooks:0:Uuid={5b3c5d3e-0f6a-4c49-9a0e-6c1e2b7f9a10}", "--Bridge:Webhooks:Hooks:0:Secret=short-secret",
            ]);

        Assert.True(exit.ExitCode == ConfigurationError, exit.ToString());
        Assert.Contains("Bridge:Prefect:ApiUrl", exit.Stderr, StringComparison.Ordinal);
        Assert.Contains("Bridge:Bitbucket:AccessToken", exit.Stderr, StringComparison.Ordinal);
        Assert.Contains("Bridge:Broker:PrefetchCount", exit.Stderr, StringComparison.Ordinal);
        Assert.Contains("Bridge:Webhooks:Hooks:0:Secret must", exit.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret", exit.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_settings_pass_the_configuration_check_and_an_unreachable_broker_exits_3_without_its_password()
    {
        // The control for the tests above: with Valid() the worker gets past the check and fails only on the broker.
        var exit = await RunAsync(ValidRoutes, Valid());

        Assert.True(exit.ExitCode == 3, exit.ToString());
        Assert.DoesNotContain("configuration is not valid", exit.Stderr, StringComparison.Ordinal);
        Assert.Contains("bridge: cannot reach RabbitMQ (Bridge:Broker:Url", exit.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(BrokerPassword, exit.Stderr + exit.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_help_exits_0_and_mentions_the_routes_option()
    {
        var exit = await BridgeProcess.RunAsync("run", "--help");

        Assert.True(exit.ExitCode == 0, exit.ToString());
        Assert.Contains("--routes", exit.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => File.Delete(routesFile);

    private async Task<BridgeExit> RunAsync(string routes, IEnumerable<string> settings)
    {
        await File.WriteAllTextAsync(routesFile, routes);
        return await BridgeProcess.RunAsync(["run", $"--Bridge:Routing:File={routesFile}", .. settings]);
    }

    /// <summary>
    /// Settings that let the worker start. Should it start, it finds no broker (port 1) and gives up after 5 s
    /// rather than waiting for the process deadline.
    /// </summary>
    private static string[] Valid() =>
    [
        "--Bridge:Prefect:ApiUrl=http://prefect.example.com:4200/api",
        "--Bridge:Bitbucket:AccessToken=config-test-token",
        $"--Bridge:Identity:Workspaces:acme:Uuid={SampleEvents.WorkspaceUuid}",
        $"--Bridge:Broker:Url=amqp://bridge:{BrokerPassword}@127.0.0.1:1/",
        "--Bridge:Broker:StartTimeout=00:00:05",
        "--urls=http://127.0.0.1:0",
    ];

    private static IEnumerable<string> Without(params string[] keys) =>
        Valid().Where(setting => !keys.Any(key => setting.StartsWith($"--{key}=", StringComparison.Ordinal)));
}
