using System.Text;
using System.Text.Json;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Dispatch;
using Bridge.Worker.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.EndToEnd;

[Collection(BrokerCollection.Name)]
public sealed class EventToFlowRunTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Tag_event_becomes_one_flow_run_and_one_inprogress_status()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).StartAsync();
        var message = SampleEvents.Tag("v1.4.0");

        await stack.SendAsync(message, CancellationToken.None);
        await stack.Bitbucket.WaitForAsync(() => stack.Bitbucket.Statuses.Count == 1, BridgeStack.Deadline);

        var run = Assert.Single(stack.Prefect.FlowRuns);
        var deployment = stack.Prefect.Deployments.Single(d => d.FullName == "release-flow/production");
        Assert.Equal(deployment.Id, run.DeploymentId);
        Assert.Equal(
            $$"""{"environment":"prod","commit":"{{message.Commit}}","version":"v1.4.0","build_number":128,"pull_request":null,"dry_run":false}""",
            run.Parameters.ToJsonString());
        Assert.Equal(
            [
                "bridge", $"bridge-event:{message.EventId}", "bridge-route:release",
                $"bridge-status:{SampleEvents.WorkspaceUuid}/{SampleEvents.RepositoryUuid}/{message.Commit}/{Worker.Bitbucket.StatusKeys.For("release", "release-flow/production")}/Release (Prefect)/v1.4.0",
                "deploy", "release",
            ],
            run.Tags.Order(StringComparer.Ordinal));
        Assert.Matches("^bridge:[0-9a-f]{64}$", run.IdempotencyKey);
        Assert.Equal("release", run.Labels["bridge.route"]!.GetValue<string>());
        Assert.Equal(message.Commit, run.Labels["bridge.commit"]!.GetValue<string>());
        Assert.Equal(message.Repository.Uuid, run.Labels["bridge.repository-uuid"]!.GetValue<string>());

        var status = Assert.Single(stack.Bitbucket.Statuses);
        Assert.Equal((message.Workspace.Uuid, message.Repository.Uuid, message.Commit), (status.Workspace, status.Repository, status.Commit));
        Assert.Equal(StatusKeys.For("release", "release-flow/production"), status.Key);
        Assert.Equal(40, status.Key.Length);
        Assert.Equal("INPROGRESS", status.State);
        Assert.Equal("Release (Prefect)", status.Name);
        Assert.Equal(stack.Prefect.FlowRunUiUrl(run.Id), status.Url);
        Assert.Equal("v1.4.0", status.Refname);
        Assert.Equal(run.Labels["bridge.status-key"]!.GetValue<string>(), status.Key);
    }

    [Fact]
    public async Task Event_delivered_three_times_creates_one_flow_run_and_posts_inprogress_once()
    {
        var logs = new CapturingLoggerProvider();
        await using var stack = await BridgeStack.On(fixture.Broker).WithLogs(logs).StartAsync();
        var message = SampleEvents.Tag("v2.0.0");

        for (var i = 0; i < 3; i++)
        {
            await stack.SendAsync(message, CancellationToken.None);
        }

        // Each redelivery is handled to its end: Prefect answers with the existing run, the status gate posts nothing.
        await Eventually.WaitAsync(
            () => Task.FromResult(logs.Entries.Count(e => e.Message.Contains("changes nothing", StringComparison.Ordinal)) == 2),
            BridgeStack.Deadline,
            "both redeliveries reach the status gate and post nothing");

        Assert.Equal([200, 200, 201], stack.Prefect.CreateFlowRunCalls.Select(c => c.StatusCode).Order());
        Assert.Single(stack.Prefect.FlowRuns);
        var post = Assert.Single(stack.Bitbucket.PostCalls);
        Assert.Equal("INPROGRESS", post.Body!["state"]!.GetValue<string>());
        Assert.Single(stack.Bitbucket.Statuses);
    }

    [Fact]
    public async Task Redelivered_event_whose_run_exists_posts_inprogress_when_this_process_never_posted_it()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).StartAsync();
        var message = SampleEvents.Tag("v2.1.0");

        // As if a worker had been killed between creating the run and posting its status.
        var route = Assert.Single(stack.Worker.Services.GetRequiredService<RouteTable>().Match(message));
        var request = FlowRunRequests.Create(message.AsTrigger(), route);
        var deployment = stack.Prefect.Deployments.Single(d => d.FullName == route.Deployment);
        stack.Prefect.AddFlowRun(deployment, request.Tags, request.Labels, idempotencyKey: request.IdempotencyKey);

        await stack.SendAsync(message, CancellationToken.None);
        await stack.Bitbucket.WaitForAsync(() => stack.Bitbucket.PostCalls.Count == 1, BridgeStack.Deadline);

        Assert.Equal([200], stack.Prefect.CreateFlowRunCalls.Select(c => c.StatusCode));
        Assert.Equal("INPROGRESS", Assert.Single(stack.Bitbucket.Statuses).State);
    }

    [Fact]
    public async Task Merge_event_matching_two_routes_gets_two_flow_runs_and_two_statuses()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).StartAsync();
        var message = SampleEvents.Merge("main", pullRequest: 42);

        await stack.SendAsync(message, CancellationToken.None);
        await stack.Bitbucket.WaitForAsync(() => stack.Bitbucket.Statuses.Count == 2, BridgeStack.Deadline);

        Assert.Equal(
            ["checks-flow/default", "docs-flow/default"],
            stack.Prefect.FlowRuns.Select(r => stack.Prefect.Deployments.Single(d => d.Id == r.DeploymentId).FullName).Order());
        Assert.Equal(42, stack.Prefect.FlowRuns.Single(r => r.Labels["bridge.route"]!.GetValue<string>() == "merge-checks").Parameters["pull_request"]!.GetValue<long>());
        Assert.Equal(
            new[] { StatusKeys.For("merge-checks", "checks-flow/default"), StatusKeys.For("docs", "docs-flow/default") }.Order(),
            stack.Bitbucket.Statuses.Select(s => s.Key).Order());
    }

    [Fact]
    public async Task Plain_json_event_without_masstransit_envelope_is_consumed()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).StartAsync();
        var commit = SampleEvents.Sha();
        var signed = SampleEvents.Tag("v3.1.0", commit: commit);
        var json = $$"""
            {
              "version": 1,
              "kind": "tag",
              "workspace": { "slug": "acme", "uuid": "{{SampleEvents.WorkspaceUuid}}" },
              "repository": { "fullName": "acme/api", "uuid": "{{SampleEvents.RepositoryUuid}}" },
              "commit": "{{commit}}",
              "ref": { "name": "v3.1.0", "type": "tag" },
              "pipelineUuid": "{{signed.PipelineUuid}}",
              "stepUuid": "{{signed.StepUuid}}",
              "buildNumber": 77,
              "occurredAt": "2026-11-22T10:00:00Z",
              "oidcToken": "{{signed.OidcToken}}"
            }
            """;

        await fixture.Broker.PublishRawAsync(stack.Queue, string.Empty, Encoding.UTF8.GetBytes(json), "application/json");
        await stack.Bitbucket.WaitForAsync(() => stack.Bitbucket.Statuses.Count == 1, BridgeStack.Deadline);

        var run = Assert.Single(stack.Prefect.FlowRuns);
        Assert.Equal(77, run.Parameters["build_number"]!.GetValue<long>());
        Assert.Equal(commit, Assert.Single(stack.Bitbucket.Statuses).Commit);
    }

    [Fact]
    public async Task Malformed_message_lands_in_the_error_queue_and_the_worker_goes_on()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).StartAsync();

        await fixture.Broker.PublishRawAsync(stack.Queue, string.Empty, "this is { not json"u8.ToArray(), "application/json");
        var invalid = JsonSerializer.Serialize(new { version = 1, kind = "tag", commit = "abc" });
        await fixture.Broker.PublishRawAsync(stack.Queue, string.Empty, Encoding.UTF8.GetBytes(invalid), "application/json");
        await stack.SendAsync(SampleEvents.Tag("v4.0.0"), CancellationToken.None);

        await stack.Bitbucket.WaitForAsync(() => stack.Bitbucket.Statuses.Count == 1, BridgeStack.Deadline);
        await Eventually.WaitAsync(
            async () => await fixture.Broker.MessageCountAsync($"{stack.Queue}_error") == 2, BridgeStack.Deadline, "both bad messages are in the error queue");
        Assert.Single(stack.Prefect.FlowRuns);
        Assert.Equal(0u, await fixture.Broker.MessageCountAsync(stack.Queue));

        // Each with a reason, though neither body could be read as a PipelineEvent, so neither reached the consumer.
        var reasons = (await DeadLetters.TakeAsync(fixture.Broker, stack.Queue, count: 2))
            .Select(d => d.Headers.GetValueOrDefault(Bridge.Worker.Queue.FailureReasonHeaderFilter.FailureReasonHeader) as string)
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["unreadable-message", "unreadable-message"], reasons);
    }

    [Fact]
    public async Task Event_matching_no_route_is_acknowledged_without_a_flow_run()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).StartAsync();

        await stack.SendAsync(SampleEvents.Merge("feature/login"), CancellationToken.None);
        await stack.SendAsync(SampleEvents.Tag("v5.0.0"), CancellationToken.None);
        await stack.Bitbucket.WaitForAsync(() => stack.Bitbucket.Statuses.Count == 1, BridgeStack.Deadline);
        await Eventually.WaitAsync(async () => await fixture.Broker.MessageCountAsync(stack.Queue) == 0, BridgeStack.Deadline, "the queue is drained");

        Assert.Equal("v5.0.0", Assert.Single(stack.Prefect.FlowRuns).Labels["bridge.ref"]!.GetValue<string>());
        Assert.Equal(0u, await fixture.Broker.MessageCountAsync($"{stack.Queue}_error"));
    }
}
