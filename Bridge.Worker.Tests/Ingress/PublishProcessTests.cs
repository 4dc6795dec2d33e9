using Bridge.Tests.Support;

namespace Bridge.Tests.Ingress;

/// <summary><c>bridge publish</c> as the process a pipeline step runs.</summary>
public sealed class PublishProcessTests
{
    [Fact]
    public async Task Publish_outside_an_oidc_step_exits_2_saying_to_add_oidc_true()
    {
        var exit = await BridgeProcess.RunAsync(
            "publish", "--ingress", "http://127.0.0.1:9", "--wait", "--timeout", "00:00:05", "--poll-interval", "00:00:01");

        Assert.True(exit.ExitCode == Bridge.Worker.Cli.RunCommand.ConfigurationError, exit.ToString());
        Assert.Contains("BITBUCKET_STEP_OIDC_TOKEN is not set: add `oidc: true`", exit.Stderr, StringComparison.Ordinal);
    }
}
