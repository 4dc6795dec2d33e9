using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bridge.Contracts;
using Bridge.Sandbox.Emulators;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Identity;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Ingress;
using Bridge.Tests.Support;
using Bridge.Worker.Webhooks;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Webhooks;

/// <summary>
/// <c>POST /v1/webhooks/bitbucket</c> on the real broker and the emulators: signed deliveries start the routes that opted
/// in, once per delivery; unsigned, wrongly signed or unreadable ones start nothing.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class WebhookTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Webhook_with_a_wrong_signature_is_refused_401_and_nothing_is_queued()
    {
        var settings = WebhookSamples.Settings();
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().WithComposition(settings).StartAsync();
        var body = WebhookSamples.Push("tag", "v5.0.0", SampleEvents.Sha());

        using var wrong = await WebhookSamples.DeliverAsync(ingress.Client, WebhookPayload.Push, body, WebhookSamples.RequestUuid(), secret: "not-the-hooks-secret-at-all");
        using var unsigned = await WebhookSamples.DeliverAsync(ingress.Client, WebhookPayload.Push, body, WebhookSamples.RequestUuid(), secret: null);
        using var unknownHook = await WebhookSamples.DeliverAsync(
            ingress.Client, WebhookPayload.Push, body, WebhookSamples.RequestUuid(), WebhookSamples.Secret, hookUuid: "{0e1d2c3b-4a59-4867-8a9b-0c1d2e3f4a5b}");

        Assert.Equal(WebhookRejectReasons.BadSignature, (await BridgeStack.ProblemAsync(wrong, HttpStatusCode.Unauthorized))["reason"]!.GetValue<string>());
        Assert.Equal(WebhookRejectReasons.Unsigned, (await BridgeStack.ProblemAsync(unsigned, HttpStatusCode.Unauthorized))["reason"]!.GetValue<string>());
        Assert.Equal(WebhookRejectReasons.UnknownHook, (await BridgeStack.ProblemAsync(unknownHook, HttpStatusCode.Unauthorized))["reason"]!.GetValue<string>());
        await AssertNothingStartedAsync(ingress, settings);
    }

    [Fact]
    public async Task Correct_tag_push_webhook_triggers_its_route_once_even_when_delivered_twice()
    {
        var settings = WebhookSamples.Settings();
        var logs = new CapturingLoggerProvider();
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().WithComposition(settings).WithLogs(logs).StartAsync();
        var commit = SampleEvents.Sha();
        var body = WebhookSamples.Push("tag", "v5.1.0", commit);
        var requestUuid = WebhookSamples.RequestUuid();

        using var first = await WebhookSamples.DeliverAsync(ingress.Client, WebhookPayload.Push, body, requestUuid, WebhookSamples.Secret);
        Assert.True(first.StatusCode == HttpStatusCode.Accepted, await first.Content.ReadAsStringAsync());
        await ingress.WaitForAcceptedStatusesAsync();
        using var again = await WebhookSamples.DeliverAsync(ingress.Client, WebhookPayload.Push, body, requestUuid, WebhookSamples.Secret, attempt: 2);
        Assert.True(again.StatusCode == HttpStatusCode.Accepted, await again.Content.ReadAsStringAsync());

        // The redelivery is handled in full (Prefect answers with the existing run, the status gate posts nothing) and starts nothing new.
        await Eventually.WaitAsync(
            () => Task.FromResult(logs.Entries.Any(e => e.Message.Contains("changes nothing", StringComparison.Ordinal))),
            BridgeStack.Deadline,
            "the redelivery reaches the status gate");
        Assert.Equal(2, ingress.Prefect.CallCount(PrefectEndpoints.CreateFlowRun));
        Assert.Single(ingress.Bitbucket.PostCalls);

        var run = Assert.Single(ingress.Prefect.FlowRuns);
        Assert.Contains("bridge-route:release-webhook", run.Tags);
        Assert.Equal(commit, run.Parameters["commit"]!.GetValue<string>());
        Assert.Equal(commit, run.Labels["bridge.commit"]!.GetValue<string>());
        Assert.Equal("v5.1.0", run.Labels["bridge.ref"]!.GetValue<string>());
        Assert.Equal(requestUuid, run.Labels["bridge.webhook-request"]!.GetValue<string>());
        Assert.False(run.Labels.ContainsKey("bridge.build-number"));
        var status = Assert.Single(ingress.Bitbucket.Statuses);
        Assert.Equal(commit, status.Commit);
        Assert.Equal("INPROGRESS", status.State);
        Assert.Equal(0u, await fixture.Broker.MessageCountAsync(DeadLetters.ErrorQueue(settings["Bridge:Webhooks:Queue"]!)));
    }

    [Fact]
    public async Task Merged_pull_request_with_abbreviated_hashes_is_run_and_reported_on_the_full_commit()
    {
        var settings = WebhookSamples.Settings();
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().WithComposition(settings).StartAsync();
        var commit = SampleEvents.Sha();
        ingress.Bitbucket.AddCommit("acme", SampleEvents.WorkspaceUuid, "acme/api", SampleEvents.RepositoryUuid, commit);

        using var response = await WebhookSamples.DeliverAsync(
            ingress.Client, WebhookPayload.PullRequestFulfilled, WebhookSamples.PullRequestFulfilled(17, commit), WebhookSamples.RequestUuid(), WebhookSamples.Secret);

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        await ingress.WaitForAcceptedStatusesAsync();
        var run = Assert.Single(ingress.Prefect.FlowRuns);
        Assert.Contains("bridge-route:merged-pull-request", run.Tags);
        Assert.Equal(commit, run.Labels["bridge.commit"]!.GetValue<string>());
        Assert.Equal(commit, Assert.Single(ingress.Bitbucket.Statuses).Commit);
        Assert.Equal(1, ingress.Bitbucket.CallCount(BitbucketEndpoints.GetCommit));
    }

    [Fact]
    public async Task Merged_pull_request_whose_commit_Bitbucket_does_not_know_is_dead_lettered_and_starts_nothing()
    {
        var settings = WebhookSamples.Settings();
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().WithComposition(settings).StartAsync();

        using var response = await WebhookSamples.DeliverAsync(
            ingress.Client, WebhookPayload.PullRequestFulfilled, WebhookSamples.PullRequestFulfilled(18, SampleEvents.Sha()), WebhookSamples.RequestUuid(), WebhookSamples.Secret);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var dead = Assert.Single(await DeadLetters.TakeAsync(fixture.Broker, settings["Bridge:Webhooks:Queue"]!));
        Assert.Equal(WebhookRejectReasons.CommitNotFound, dead.RejectReason());
        Assert.Empty(ingress.Prefect.FlowRuns);
    }

    [Fact]
    public async Task Push_no_route_opted_in_to_starts_nothing_though_a_pipeline_route_matches_it()
    {
        var settings = WebhookSamples.Settings();
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().WithComposition(settings).StartAsync();

        // merge-checks takes merges into main from pipelines, and merged-pull-request takes only pullrequest:fulfilled.
        using var response = await WebhookSamples.DeliverAsync(
            ingress.Client, WebhookPayload.Push, WebhookSamples.Push("branch", "main", SampleEvents.Sha()), WebhookSamples.RequestUuid(), WebhookSamples.Secret);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await AssertNothingStartedAsync(ingress, settings, waitForQueue: true);
    }

    [Fact]
    public async Task Webhook_of_a_workspace_not_on_the_allow_list_or_naming_another_workspace_uuid_is_refused_403()
    {
        var settings = WebhookSamples.Settings();
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().WithComposition(settings).StartAsync();
        var otherWorkspace = WebhookSamples.Push("tag", "v5.5.0", SampleEvents.Sha(), repository: "intruders/api");
        var otherUuid = JsonNode.Parse(WebhookSamples.Push("tag", "v5.5.1", SampleEvents.Sha()))!;
        otherUuid["repository"]!["workspace"]!["uuid"] = SampleEvents.Braced();

        using var notAllowed = await WebhookSamples.DeliverAsync(ingress.Client, WebhookPayload.Push, otherWorkspace, WebhookSamples.RequestUuid(), WebhookSamples.Secret);
        using var mismatch = await WebhookSamples.DeliverAsync(ingress.Client, WebhookPayload.Push, otherUuid.ToJsonString(), WebhookSamples.RequestUuid(), WebhookSamples.Secret);

        Assert.Equal("workspace-not-allowed", (await BridgeStack.ProblemAsync(notAllowed, HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());
        Assert.Equal("workspace-mismatch", (await BridgeStack.ProblemAsync(mismatch, HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());
        await AssertNothingStartedAsync(ingress, settings);
    }

    [Fact]
    public async Task Push_with_one_change_a_route_does_not_allow_is_dead_lettered_whole_and_starts_nothing()
    {
        var settings = WebhookSamples.Settings();
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().WithComposition(settings).StartAsync();
        var body = JsonNode.Parse(WebhookSamples.Push("tag", "v7.0.0", SampleEvents.Sha(), repository: "acme/web"))!;
        var changes = body["push"]!["changes"]!.AsArray();
        var refused = changes[0]!.DeepClone();
        refused["new"]!["name"] = "hotfix-1"; // hotfix-webhook allows acme/api only
        changes.Add(refused);

        using var response = await WebhookSamples.DeliverAsync(ingress.Client, WebhookPayload.Push, body.ToJsonString(), WebhookSamples.RequestUuid(), WebhookSamples.Secret);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var dead = Assert.Single(await DeadLetters.TakeAsync(fixture.Broker, settings["Bridge:Webhooks:Queue"]!));
        Assert.Equal("repository-not-allowed", dead.RejectReason());
        Assert.Empty(ingress.Prefect.FlowRuns);
    }

    [Fact]
    public async Task Event_key_Bridge_does_not_read_is_acknowledged_and_not_queued()
    {
        var settings = WebhookSamples.Settings();
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().WithComposition(settings).StartAsync();

        using var response = await WebhookSamples.DeliverAsync(ingress.Client, "repo:fork", "{}", WebhookSamples.RequestUuid(), WebhookSamples.Secret);

        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.False(answer["queued"]!.GetValue<bool>());
        Assert.Contains("repo:push", answer["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertNothingStartedAsync(ingress, settings);
    }

    [Fact]
    public async Task Signed_body_Bridge_cannot_read_is_answered_400_naming_the_field()
    {
        var settings = WebhookSamples.Settings();
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().WithComposition(settings).StartAsync();
        var body = JsonNode.Parse(WebhookSamples.Push("tag", "v5.2.0", SampleEvents.Sha()))!;
        body["repository"]!.AsObject().Remove("uuid");

        using var response = await WebhookSamples.DeliverAsync(ingress.Client, WebhookPayload.Push, body.ToJsonString(), WebhookSamples.RequestUuid(), WebhookSamples.Secret);

        Assert.Equal("repository.uuid", (await BridgeStack.ProblemAsync(response, HttpStatusCode.BadRequest))["field"]!.GetValue<string>());
        await AssertNothingStartedAsync(ingress, settings);
    }

    [Fact]
    public async Task Oversize_webhook_is_answered_413()
    {
        var settings = WebhookSamples.Settings();
        settings["Bridge:Webhooks:MaxBodyBytes"] = "2048";
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().WithComposition(settings).StartAsync();
        var body = JsonNode.Parse(WebhookSamples.Push("tag", "v5.3.0", SampleEvents.Sha()))!;
        body["padding"] = new string('x', 4096);

        using var response = await WebhookSamples.DeliverAsync(ingress.Client, WebhookPayload.Push, body.ToJsonString(), WebhookSamples.RequestUuid(), WebhookSamples.Secret);

        await BridgeStack.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await AssertNothingStartedAsync(ingress, settings);
    }

    [Fact]
    public async Task Delivery_put_on_the_queue_without_a_valid_signature_is_dead_lettered_and_starts_nothing()
    {
        // Whoever can publish to the broker cannot skip the ingress: the worker checks the signature again.
        var settings = WebhookSamples.Settings();
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().WithComposition(settings).StartAsync();
        var body = Encoding.UTF8.GetBytes(WebhookSamples.Push("tag", "v5.4.0", SampleEvents.Sha()));
        var forged = new BitbucketWebhookDelivery
        {
            RequestUuid = WebhookSamples.RequestUuid(),
            HookUuid = WebhookSamples.HookUuid,
            EventKey = WebhookPayload.Push,
            Signature = WebhookSignatures.Sign("a-guess-at-the-secret-of-the-hook", body),
            Body = Convert.ToBase64String(body),
            ReceivedAt = DateTimeOffset.UtcNow,
        };

        var queue = settings["Bridge:Webhooks:Queue"]!;
        var bus = ingress.Worker.Services.GetRequiredService<ISendEndpointProvider>();
        await (await bus.GetSendEndpoint(new Uri($"exchange:{queue}"))).Send(forged);

        var dead = Assert.Single(await DeadLetters.TakeAsync(fixture.Broker, queue));
        Assert.Equal(WebhookRejectReasons.BadSignature, dead.RejectReason());
        Assert.Empty(ingress.Prefect.FlowRuns);
    }

    /// <summary>
    /// No run started and nothing is left in or dead-lettered from the webhook queue. A genuine tag webhook sent afterwards
    /// is the sentinel: once its status is posted, anything queued before it would have been handled too.
    /// </summary>
    private async Task AssertNothingStartedAsync(BridgeStack ingress, Dictionary<string, string?> settings, bool waitForQueue = false)
    {
        var queue = settings["Bridge:Webhooks:Queue"]!;
        if (!waitForQueue)
        {
            Assert.Equal(0u, await fixture.Broker.MessageCountAsync(queue));
        }

        var sentinel = SampleEvents.Sha();
        using var response = await WebhookSamples.DeliverAsync(
            ingress.Client, WebhookPayload.Push, WebhookSamples.Push("tag", "v9.9.9", sentinel), WebhookSamples.RequestUuid(), WebhookSamples.Secret);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await ingress.WaitForAcceptedStatusesAsync();

        Assert.Equal(sentinel, Assert.Single(ingress.Prefect.FlowRuns).Labels["bridge.commit"]!.GetValue<string>());
        Assert.Equal(0u, await fixture.Broker.MessageCountAsync(DeadLetters.ErrorQueue(queue)));
    }
}
