using Bridge.Tests.Identity;
using System.Globalization;
using Bridge.Contracts;
using Bridge.Sandbox.Emulators;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Cli;

namespace Bridge.Tests.Ingress;

/// <summary>
/// <c>bridge publish</c>, run in-process with a pipeline step's variables: through the ingress or the broker to a flow
/// run and its statuses, and <c>--wait</c> exiting with the run's outcome.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class PublishVerbTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Publish_through_the_ingress_with_wait_exits_0_when_the_flow_run_completes()
    {
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().StartAsync();
        var step = ingress.Issue(SampleEvents.UnsignedTag("v7.0.0"));

        var (exit, output, error) = await PublishAndFinishAsync(ingress, step, Settings(ingress) with { Wait = true }, StateTypes.Completed);

        Assert.True(exit == 0, $"exit {exit}: {output}{error}");
        var run = Assert.Single(ingress.Prefect.FlowRuns);
        Assert.Contains($"Event {run.Labels["bridge.event-id"]!.GetValue<string>()} queued", output, StringComparison.Ordinal);
        Assert.Contains("route release", output, StringComparison.Ordinal);
        Assert.Contains(ingress.Prefect.FlowRunUiUrl(run.Id), output, StringComparison.Ordinal);
        // --wait returns on the run's state in Prefect; the worker posts SUCCESSFUL on its own time, after that.
        await ingress.Bitbucket.WaitForAsync(() => ingress.Bitbucket.Statuses.Any(s => s.State == "SUCCESSFUL"), BridgeStack.Deadline);
        Assert.Contains(ingress.Bitbucket.Statuses, s => s.State == "SUCCESSFUL");
        Assert.DoesNotContain(step.OidcToken, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_with_wait_exits_non_zero_with_the_state_and_link_when_the_flow_run_fails()
    {
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().StartAsync();
        var step = ingress.Issue(SampleEvents.UnsignedTag("v7.1.0"));

        var (exit, output, error) = await PublishAndFinishAsync(ingress, step, Settings(ingress) with { Wait = true }, StateTypes.Failed);

        Assert.True(exit == PublishCommand.RunFailed, $"exit {exit}: {output}{error}");
        var run = Assert.Single(ingress.Prefect.FlowRuns);
        Assert.Contains("route release: Failed (FAILED)", error, StringComparison.Ordinal);
        Assert.Contains(ingress.Prefect.FlowRunUiUrl(run.Id), error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_straight_to_the_broker_with_wait_exits_0_when_the_flow_run_completes()
    {
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().StartAsync();
        var step = ingress.Issue(SampleEvents.UnsignedMerge("main"));
        var settings = Settings(ingress) with { Amqp = fixture.Broker.AmqpUri, Queue = ingress.Queue, Wait = true };

        var (exit, output, error) = await PublishAndFinishAsync(ingress, step, settings, StateTypes.Completed);

        Assert.True(exit == 0, $"exit {exit}: {output}{error}");
        Assert.Contains($"queued on {ingress.Queue}", output, StringComparison.Ordinal);
        var run = Assert.Single(ingress.Prefect.FlowRuns);
        Assert.Equal("merge-checks", run.Labels["bridge.route"]!.GetValue<string>());
        Assert.DoesNotContain(fixture.Broker.AmqpUri.UserInfo, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_prints_the_event_with_the_token_redacted_and_sends_nothing()
    {
        var step = SampleEvents.Tag("v7.2.0");
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await PublishCommand.RunAsync(
            new PublishSettings { Ingress = new Uri("http://127.0.0.1:9"), DryRun = true }, Variables(step), output, error, TimeProvider.System, CancellationToken.None);

        Assert.True(exit == 0, error.ToString());
        Assert.Contains("\"oidcToken\": \"***\"", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"tag\"", output.ToString(), StringComparison.Ordinal);
        Assert.Contains(step.Commit, output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(step.OidcToken.Split('.')[2], output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_oidc_token_says_to_add_oidc_true_and_a_missing_variable_is_named()
    {
        var step = SampleEvents.Tag();
        var error = new StringWriter();
        string? Without(string name) => name is "BITBUCKET_STEP_OIDC_TOKEN" or "BITBUCKET_REPO_UUID" ? null : Variables(step)(name);

        var exit = await PublishCommand.RunAsync(
            new PublishSettings { Ingress = new Uri("http://127.0.0.1:9") }, Without, TextWriter.Null, error, TimeProvider.System, CancellationToken.None);

        Assert.Equal(Bridge.Worker.Cli.RunCommand.ConfigurationError, exit);
        Assert.Contains("BITBUCKET_STEP_OIDC_TOKEN is not set: add `oidc: true`", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("BITBUCKET_REPO_UUID is not set", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Runs the verb, finishes the flow run it started as <paramref name="state"/>, and returns the exit and what it printed.</summary>
    private static async Task<(int Exit, string Output, string Error)> PublishAndFinishAsync(
        BridgeStack ingress, PipelineEvent step, PublishSettings settings, string state)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var publishing = PublishCommand.RunAsync(settings, Variables(step), output, error, TimeProvider.System, CancellationToken.None);
        await ingress.Prefect.WaitForAsync(() => ingress.Prefect.FlowRuns.Count == 1 || publishing.IsCompleted, BridgeStack.Deadline);
        if (!publishing.IsCompleted)
        {
            await ingress.WaitForAcceptedStatusesAsync();
            ingress.Prefect.SetState(ingress.Prefect.FlowRuns[0].Id, state);
        }

        var exit = await publishing.WaitAsync(BridgeStack.Deadline);
        return (exit, output.ToString(), error.ToString());
    }

    private static PublishSettings Settings(BridgeStack ingress) => new()
    {
        Ingress = ingress.Client.BaseAddress,
        Timeout = BridgeStack.Deadline,
        PollInterval = TimeSpan.FromMilliseconds(50),
    };

    /// <summary>Bitbucket's default variables of the step that <paramref name="step"/> is the event of.</summary>
    private static Func<string, string?> Variables(PipelineEvent step)
    {
        var variables = new Dictionary<string, string?>
        {
            ["BITBUCKET_COMMIT"] = step.Commit,
            ["BITBUCKET_WORKSPACE"] = step.Workspace.Slug,
            ["BITBUCKET_REPO_FULL_NAME"] = step.Repository.FullName,
            ["BITBUCKET_REPO_UUID"] = step.Repository.Uuid,
            ["BITBUCKET_PIPELINE_UUID"] = step.PipelineUuid,
            ["BITBUCKET_STEP_UUID"] = step.StepUuid,
            ["BITBUCKET_BUILD_NUMBER"] = step.BuildNumber.ToString(CultureInfo.InvariantCulture),
            ["BITBUCKET_STEP_OIDC_TOKEN"] = step.OidcToken,
            [step.Ref.Type == RefType.Tag ? "BITBUCKET_TAG" : "BITBUCKET_BRANCH"] = step.Ref.Name,
        };
        return name => variables.GetValueOrDefault(name);
    }
}
