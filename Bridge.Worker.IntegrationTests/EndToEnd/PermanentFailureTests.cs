using Bridge.Sandbox.Emulators;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;

namespace Bridge.Tests.EndToEnd;

/// <summary>What retrying cannot fix goes to <c>_error</c> on the first attempt, with the reason in MT-Fault-Message.</summary>
[Collection(BrokerCollection.Name)]
public sealed class PermanentFailureTests(RabbitMqBrokerFixture fixture)
{
    private const string GhostRoutes = """
        routes:
          - name: ghost
            match: { repository: "acme/*", events: [tag] }
            deployment: ghost-flow/nowhere
        """;

    [Fact]
    public async Task Route_to_a_deployment_missing_in_prefect_is_dead_lettered_at_once_naming_the_deployment()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).WithRoutes(GhostRoutes).StartAsync();

        await stack.SendAsync(SampleEvents.Tag("v1.0.0"), CancellationToken.None);
        var dead = Assert.Single(await DeadLetters.TakeAsync(fixture.Broker, stack.Queue));

        Assert.Contains("ghost-flow/nowhere", dead.FaultMessage, StringComparison.Ordinal);
        Assert.Equal(0, dead.RetryCount);
        Assert.Equal(1, stack.Prefect.CallCount(PrefectEndpoints.ReadDeploymentByName));
        Assert.Equal(0, stack.Prefect.CallCount(PrefectEndpoints.CreateFlowRun));
        Assert.Empty(stack.Prefect.FlowRuns);
        Assert.Empty(stack.Bitbucket.PostCalls);
    }

    [Fact]
    public async Task Deployment_deleted_and_recreated_under_its_name_gets_the_next_run_without_a_dead_letter()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).StartAsync();
        await stack.SendAsync(SampleEvents.Tag("v1.0.0"), CancellationToken.None);
        await stack.WaitForAcceptedStatusesAsync();
        var first = Assert.Single(stack.Prefect.Deployments, d => d.FullName == "release-flow/production");

        // Remembered by id, then deleted and made again: the id Bridge remembers answers 404.
        stack.Prefect.DeleteDeployment(first.Id);
        var second = stack.Prefect.AddDeployment("release-flow", "production", tags: ["deploy"]);
        await stack.SendAsync(SampleEvents.Tag("v1.0.1"), CancellationToken.None);
        await stack.WaitForAcceptedStatusesAsync(count: 2);

        Assert.Equal([201, 404, 201], stack.Prefect.CreateFlowRunCalls.Select(c => c.StatusCode));
        Assert.Equal(2, stack.Prefect.CallCount(PrefectEndpoints.ReadDeploymentByName));
        Assert.Equal<Guid?>([first.Id, second.Id], stack.Prefect.FlowRuns.Select(r => r.DeploymentId));
        Assert.Equal(0u, await fixture.Broker.MessageCountAsync(DeadLetters.ErrorQueue(stack.Queue)));
    }

    [Fact]
    public async Task Invalid_event_is_dead_lettered_at_once_with_a_fault_naming_the_commit_field()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).StartAsync();

        await stack.SendAsync(SampleEvents.Tag("v1.0.0") with { Commit = "abc" }, CancellationToken.None);
        var dead = Assert.Single(await DeadLetters.TakeAsync(fixture.Broker, stack.Queue));

        Assert.Contains("commit: must be the full 40-character", dead.FaultMessage, StringComparison.Ordinal);
        Assert.Equal(0, dead.RetryCount);
        Assert.Equal(0, stack.Prefect.CallCount(PrefectEndpoints.ReadDeploymentByName));
        Assert.Empty(stack.Prefect.CreateFlowRunCalls);
        Assert.Empty(stack.Bitbucket.PostCalls);
    }

    [Fact]
    public async Task Status_refused_by_bitbucket_is_dead_lettered_at_once_and_a_redrive_reuses_the_flow_run()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).StartAsync();
        stack.Bitbucket.FailNext(BitbucketEndpoints.PostBuildStatus, 1, 400);

        await stack.SendAsync(SampleEvents.Tag("v1.0.0"), CancellationToken.None);
        var dead = Assert.Single(await DeadLetters.TakeAsync(fixture.Broker, stack.Queue));

        Assert.Contains("Bitbucket refused to post build status 'Release (Prefect)'", dead.FaultMessage, StringComparison.Ordinal);
        Assert.Equal(0, dead.RetryCount);
        Assert.Equal([400], stack.Bitbucket.PostCalls.Select(c => c.StatusCode));
        Assert.Equal([201], stack.Prefect.CreateFlowRunCalls.Select(c => c.StatusCode));
        var run = Assert.Single(stack.Prefect.FlowRuns);

        // Redrive: the dead-lettered message, as it is, back to the worker's queue.
        await fixture.Broker.PublishRawAsync(stack.Queue, string.Empty, dead.Body, dead.ContentType);
        await stack.WaitForAcceptedStatusesAsync();

        Assert.Equal([201, 200], stack.Prefect.CreateFlowRunCalls.Select(c => c.StatusCode));
        Assert.Equal(run.Id, Assert.Single(stack.Prefect.FlowRuns).Id);
        Assert.Equal(stack.Prefect.FlowRunUiUrl(run.Id), Assert.Single(stack.Bitbucket.Statuses).Url);
        Assert.Equal(0u, await fixture.Broker.MessageCountAsync(DeadLetters.ErrorQueue(stack.Queue)));
    }
}
