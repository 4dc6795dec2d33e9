using System.Net;
using System.Text.Json.Nodes;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Identity;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Ingress;

namespace Bridge.Tests.Ingress;

/// <summary><c>POST /v1/events</c> on the real broker: what it queues, what it refuses, and that refusals queue nothing.</summary>
[Collection(BrokerCollection.Name)]
public sealed class IngressTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Genuine_tag_event_is_answered_202_with_its_routes_and_starts_its_flow_run()
    {
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().StartAsync();
        var message = ingress.Issue(SampleEvents.UnsignedTag("v2.0.0"));

        using var response = await ingress.PostAsync(message);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        var answer = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(message.EventId.ToString(), answer["eventId"]!.GetValue<string>());
        var route = Assert.Single(answer["routes"]!.AsArray())!.AsObject();
        Assert.Equal("release", route["route"]!.GetValue<string>());
        Assert.Equal(Bridge.Worker.Bitbucket.StatusKeys.For("release", "release-flow/production"), route["statusKey"]!.GetValue<string>());
        Assert.EndsWith($"/repositories/acme/api/commit/{message.Commit}/statuses/build/{route["statusKey"]}", route["statusUrl"]!.GetValue<string>());

        await ingress.WaitForAcceptedStatusesAsync();
        var run = Assert.Single(ingress.Prefect.FlowRuns);
        Assert.Equal(message.EventId.ToString(), run.Labels["bridge.event-id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Forged_token_is_answered_401_naming_the_check_and_the_queue_stays_empty()
    {
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().StartAsync();
        var genuine = ingress.Issue(SampleEvents.UnsignedTag());
        var forged = ForgedTokens.Tampered(genuine.OidcToken, claims => claims["exp"] = claims["exp"]!.GetValue<long>() + 86_400);

        using var response = await ingress.PostAsync(genuine, forged);

        var problem = await BridgeStack.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("bad-signature", problem["reason"]!.GetValue<string>());
        Assert.DoesNotContain(forged.Split('.')[2], problem.ToJsonString(), StringComparison.Ordinal);
        await AssertNothingQueuedAsync(ingress);
    }

    [Fact]
    public async Task Missing_bearer_token_is_answered_401()
    {
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().StartAsync();

        using var response = await ingress.PostAsync("{}", token: null);

        Assert.Equal("missing-token", (await BridgeStack.ProblemAsync(response, HttpStatusCode.Unauthorized))["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Oversize_body_is_answered_413_and_the_queue_stays_empty()
    {
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().With<IngressOptions>(o => o.MaxBodyBytes = 2048).StartAsync();
        var message = ingress.Issue(SampleEvents.UnsignedTag()) with { Commit = new string('a', 4096) };

        using var response = await ingress.PostAsync(message);

        await BridgeStack.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await AssertNothingQueuedAsync(ingress);
    }

    [Fact]
    public async Task Event_with_a_missing_field_is_answered_400_naming_the_field()
    {
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().StartAsync();
        var message = ingress.Issue(SampleEvents.UnsignedTag());

        using var response = await ingress.PostAsync(message with { Commit = "abc" });

        var problem = await BridgeStack.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("commit", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertNothingQueuedAsync(ingress);
    }

    [Fact]
    public async Task Body_that_is_not_json_is_answered_400()
    {
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().StartAsync();

        using var response = await ingress.PostAsync("not json", SampleEvents.Token());

        Assert.Equal("$", (await BridgeStack.ProblemAsync(response, HttpStatusCode.BadRequest))["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Event_a_route_does_not_allow_is_answered_403_naming_the_check()
    {
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().StartAsync();
        var message = ingress.Issue(
            SampleEvents.UnsignedTag("prod-1"), t => t with { DeploymentEnvironmentUuid = IdentityRoutes.StagingEnvironment });

        using var response = await ingress.PostAsync(message);

        var problem = await BridgeStack.ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal("environment-not-allowed", problem["reason"]!.GetValue<string>());
        await AssertNothingQueuedAsync(ingress);
    }

    [Fact]
    public async Task Events_beyond_the_repository_rate_limit_are_answered_429()
    {
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().With<IngressOptions>(o => o.PermitsPerRepository = 1).StartAsync();

        using var first = await ingress.PostAsync(ingress.Issue(SampleEvents.UnsignedTag("v3.0.0")));
        using var second = await ingress.PostAsync(ingress.Issue(SampleEvents.UnsignedTag("v3.0.1")));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("rate-limited", (await BridgeStack.ProblemAsync(second, HttpStatusCode.TooManyRequests))["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ingress_port_serves_only_the_ingress_and_the_worker_port_not_the_ingress()
    {
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().StartAsync();
        var workerUrl = ingress.Worker.Urls.First(u => !u.EndsWith($":{ingress.Port}", StringComparison.Ordinal));
        using var worker = new HttpClient { BaseAddress = new Uri(workerUrl) };

        using var healthOnIngress = await ingress.Client.GetAsync(new Uri("/health/live", UriKind.Relative));
        using var healthOnWorker = await worker.GetAsync(new Uri("/health/live", UriKind.Relative));
        using var eventsOnWorker = await worker.PostAsync(new Uri("/v1/events", UriKind.Relative), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, healthOnIngress.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healthOnWorker.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, eventsOnWorker.StatusCode);
    }

    /// <summary>
    /// Nothing reached the worker's queue: it is empty, nothing was dead-lettered, no run started. A genuine event sent
    /// afterwards is the sentinel: once its status is posted, anything queued before it would have been handled too.
    /// </summary>
    private async Task AssertNothingQueuedAsync(BridgeStack ingress)
    {
        Assert.Equal(0u, await fixture.Broker.MessageCountAsync(ingress.Queue));
        await ingress.SendAsync(ingress.Issue(SampleEvents.UnsignedTag("v9.9.9")), CancellationToken.None);
        await ingress.WaitForAcceptedStatusesAsync();

        Assert.Single(ingress.Prefect.FlowRuns);
        Assert.Equal(0u, await fixture.Broker.MessageCountAsync(DeadLetters.ErrorQueue(ingress.Queue)));
    }
}
