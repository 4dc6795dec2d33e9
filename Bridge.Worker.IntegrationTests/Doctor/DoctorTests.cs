using Bridge.Tests.Infrastructure;
using Bridge.Worker.Cli;

namespace Bridge.Tests.Doctor;

/// <summary><c>bridge doctor</c> against a real broker and the emulators: every check ok on a healthy stack, and each failure named.</summary>
[Collection(BrokerCollection.Name)]
public sealed class DoctorTests(RabbitMqBrokerFixture fixture)
{
    /// <summary>No retries: a refused connection fails the check at once instead of running into the timeout.</summary>
    private const string NoRetries = "--Bridge:Bitbucket:MaxRetries=0";

    [Fact]
    public async Task A_healthy_stack_passes_every_check_and_exits_0()
    {
        await using var stack = await DoctorStack.StartAsync(fixture.Broker);

        var (exit, output, error) = await stack.DoctorAsync();

        Assert.True(exit == 0, output + error);
        var checks = CheckLines(output);
        Assert.All(checks, line => Assert.StartsWith("ok ", line, StringComparison.Ordinal));
        Assert.Equal(
            ["broker", "prefect", "deployment release-flow/production", "deployment checks-flow/default", "bitbucket pipelines", "bitbucket statuses", "oidc acme"],
            checks.Select(line => line[3..line.IndexOf(':', StringComparison.Ordinal)].Trim()));
        Assert.Contains($"queue {stack.Queue} does not exist yet", output, StringComparison.Ordinal);
        Assert.Contains("work pool 'emulator-pool' has 1 ONLINE worker(s)", output, StringComparison.Ordinal);
        Assert.Contains($"All {checks.Count} checks passed.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_settings_are_printed_with_their_sources_and_no_secret_value()
    {
        await using var stack = await DoctorStack.StartAsync(fixture.Broker);

        var (exit, output, error) = await stack.DoctorAsync($"--Bridge:Correlation:CallbackSecret=cb-{stack.PrefectKey}");

        Assert.True(exit == 0, output + error);
        Assert.Contains("Bridge:Prefect:ApiKey = ***  [command line]", output, StringComparison.Ordinal);
        Assert.Contains("Bridge:Bitbucket:AccessToken = ***  [command line]", output, StringComparison.Ordinal);
        Assert.Contains("Bridge:Correlation:CallbackSecret = ***  [command line]", output, StringComparison.Ordinal);
        Assert.Contains($"Bridge:Broker:Url = amqp://guest:***@{fixture.Broker.Host}:{fixture.Broker.Port}/  [command line]", output, StringComparison.Ordinal);
        Assert.Contains("Bridge:Broker:PrefetchCount = 16  [default]", output, StringComparison.Ordinal);
        Assert.DoesNotContain(stack.PrefectKey, output + error, StringComparison.Ordinal);
        Assert.DoesNotContain(stack.BitbucketToken, output + error, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Broker.AmqpUri.UserInfo + "@", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broker_that_does_not_answer_fails_the_broker_check_naming_its_setting()
    {
        await using var stack = await DoctorStack.StartAsync(fixture.Broker);

        var (exit, output, _) = await stack.DoctorAsync("--Bridge:Broker:Url=amqp://guest:guest@127.0.0.1:1/");

        var failed = OnlyFailure(exit, output);
        Assert.StartsWith("FAILED broker: cannot connect to RabbitMQ at amqp://guest:***@127.0.0.1:1/", failed, StringComparison.Ordinal);
        Assert.Contains("check Bridge:Broker:Url", failed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_Prefect_key_fails_the_prefect_check_naming_its_setting()
    {
        await using var stack = await DoctorStack.StartAsync(fixture.Broker);

        var (exit, output, _) = await stack.DoctorAsync("--Bridge:Prefect:ApiKey=pnu_wrong");

        var failed = OnlyFailure(exit, output);
        Assert.StartsWith("FAILED prefect: Prefect refused Bridge's credentials", failed, StringComparison.Ordinal);
        Assert.Contains("HTTP 401", failed, StringComparison.Ordinal);
        Assert.Contains("Bridge:Prefect:ApiKey", failed, StringComparison.Ordinal);
        Assert.DoesNotContain("pnu_wrong", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_routed_deployment_Prefect_lacks_fails_its_check_naming_the_route()
    {
        await using var stack = await DoctorStack.StartAsync(fixture.Broker);
        stack.Prefect.DeleteDeployment(stack.Prefect.Deployments.Single(d => d.FullName == "checks-flow/default").Id);

        var (exit, output, _) = await stack.DoctorAsync();

        var failed = OnlyFailure(exit, output);
        Assert.Equal(
            "FAILED deployment checks-flow/default: Prefect has no deployment 'checks-flow/default'; check Bridge:Routing:File (route checks)", failed);
    }

    [Fact]
    public async Task A_work_pool_without_an_online_worker_fails_the_deployment_check()
    {
        await using var stack = await DoctorStack.StartAsync(fixture.Broker);
        stack.Prefect.DeleteDeployment(stack.Prefect.Deployments.Single(d => d.FullName == "release-flow/production").Id);
        stack.Prefect.AddDeployment("release-flow", "production", workPoolName: "release-pool");
        stack.Prefect.AddWorker("release-pool", "stopped-worker", "OFFLINE");

        var (exit, output, _) = await stack.DoctorAsync();

        var failed = OnlyFailure(exit, output);
        Assert.StartsWith("FAILED deployment release-flow/production: its work pool 'release-pool' has no ONLINE worker", failed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_Bitbucket_credential_fails_the_bitbucket_check_naming_its_setting()
    {
        await using var stack = await DoctorStack.StartAsync(fixture.Broker);

        var (exit, output, _) = await stack.DoctorAsync("--Bridge:Bitbucket:AccessToken=wrong-token");

        var failed = OnlyFailure(exit, output);
        Assert.StartsWith("FAILED bitbucket pipelines: Bitbucket refused Bridge's credential", failed, StringComparison.Ordinal);
        Assert.Contains("HTTP 401", failed, StringComparison.Ordinal);
        Assert.Contains("Bridge:Bitbucket:AccessToken", failed, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-token", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_OIDC_discovery_document_fails_the_workspace_check_naming_its_setting()
    {
        await using var stack = await DoctorStack.StartAsync(fixture.Broker);

        var (exit, output, _) = await stack.DoctorAsync(
            NoRetries, "--Bridge:Identity:Workspaces:acme:DiscoveryUrl=http://127.0.0.1:1/oidc/.well-known/openid-configuration");

        var failed = OnlyFailure(exit, output);
        Assert.StartsWith("FAILED oidc acme: ", failed, StringComparison.Ordinal);
        Assert.Contains("check Bridge:Identity:Workspaces:acme:DiscoveryUrl", failed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_that_are_not_valid_exit_2_naming_the_setting()
    {
        await using var stack = await DoctorStack.StartAsync(fixture.Broker);

        var (exit, _, error) = await stack.DoctorAsync("--Bridge:Prefect:ApiUrl=not-a-url");

        Assert.Equal(RunCommand.ConfigurationError, exit);
        Assert.Contains("Bridge:Prefect:ApiUrl", error, StringComparison.Ordinal);
    }

    /// <summary>The one FAILED line, after exit <see cref="DoctorCommand.CheckFailed"/>: the other checks still pass.</summary>
    private static string OnlyFailure(int exit, string output)
    {
        Assert.True(exit == DoctorCommand.CheckFailed, $"exit {exit}: {output}");
        return Assert.Single(CheckLines(output), line => line.StartsWith("FAILED", StringComparison.Ordinal));
    }

    private static List<string> CheckLines(string output) =>
        [.. output.Split('\n').Select(l => l.TrimEnd('\r')).SkipWhile(l => l != "Checks:").Skip(1).TakeWhile(l => l.StartsWith("ok", StringComparison.Ordinal) || l.StartsWith("FAILED", StringComparison.Ordinal))];
}
