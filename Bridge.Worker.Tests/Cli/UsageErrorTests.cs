using System.Reflection;
using Bridge.Tests.Support;
using Bridge.Worker.Cli;

namespace Bridge.Tests.Cli;

/// <summary><c>bridge</c> as a process: a usage error exits 2 for every verb (never 1, a failed flow run's code), saying what is wrong.</summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("publish --no-such-option", "Unrecognized command or argument '--no-such-option'")]
    [InlineData("publish --timeout 5x", "--timeout: '5x' is not a duration; use 30s, 5m, 1h, 1h30m or hh:mm:ss")]
    [InlineData("publish --timeout 30", "--timeout: '30' is not a duration")]
    [InlineData("publish --ingress", "Required argument missing for option: '--ingress'")]
    [InlineData("publish --ingress not-a-url", "--ingress must be an absolute URL")]
    [InlineData("no-such-verb", "Unrecognized command or argument 'no-such-verb'")]
    [InlineData("", "Required command was not provided")]
    [InlineData("issuer new-key", "Option '--out' is required")]
    [InlineData("routes check", "Required argument missing for command: 'check'")]
    [InlineData("routes explain --routes r.yaml", "give either --event FILE or --webhook FILE --headers FILE")]
    [InlineData("routes explain --routes r.yaml --webhook body.json", "--webhook needs --headers FILE")]
    [InlineData("doctor --repository acme", "--repository: 'acme' is not workspace/slug")]
    [InlineData("doctor --timeout 0s", "--timeout must be longer than 0s")]
    [InlineData("doctor --timeout 10", "--timeout: '10' is not a duration")]
    [InlineData("completion fish", "Argument 'fish' not recognized. Must be one of")]
    public async Task A_usage_error_exits_2_naming_what_is_wrong(string arguments, string message)
    {
        var exit = await BridgeProcess.RunAsync(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.True(exit.ExitCode == BridgeCli.UsageError, exit.ToString());
        Assert.Contains(message, exit.Stderr, StringComparison.Ordinal);
        Assert.Contains("--help' for usage.", exit.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5m")]
    [InlineData("1h30m")]
    [InlineData("00:05:00")]
    public async Task Publish_takes_a_duration_in_either_form_and_goes_on_to_the_pipeline_variables(string timeout)
    {
        var exit = await BridgeProcess.RunAsync("publish", "--ingress", "http://127.0.0.1:9", "--wait", "--timeout", timeout, "--poll-interval", "2s");

        Assert.True(exit.ExitCode == RunCommand.ConfigurationError, exit.ToString());
        Assert.DoesNotContain("not a duration", exit.Stderr, StringComparison.Ordinal);
        Assert.Contains("BITBUCKET_STEP_OIDC_TOKEN is not set", exit.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_release_version_of_the_assembly()
    {
        var exit = await BridgeProcess.RunAsync("--version");

        var version = typeof(BridgeCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.True(exit.ExitCode == 0, exit.ToString());
        Assert.Equal(version, exit.Stdout.Trim());
        Assert.Matches(@"^\d+\.\d+\.\d+", exit.Stdout);
    }
}
