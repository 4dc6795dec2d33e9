using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Bridge.Sandbox.Emulators;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Identity;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;

namespace Bridge.Tests.Ingress;

/// <summary><c>GET /v1/events/{id}</c>: the event's runs as Prefect has them, shown only to a token of the same repository.</summary>
[Collection(BrokerCollection.Name)]
public sealed class FollowEventTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Following_an_event_shows_its_flow_run_state_link_and_commit_status_until_it_completes()
    {
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().StartAsync();
        var message = ingress.Issue(SampleEvents.UnsignedTag("v5.0.0"));
        using var posted = await ingress.PostAsync(message);
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        await ingress.WaitForAcceptedStatusesAsync();
        var run = Assert.Single(ingress.Prefect.FlowRuns);

        var running = await FollowAsync(ingress, message.EventId!.Value, message.OidcToken, HttpStatusCode.OK);
        ingress.Prefect.SetState(run.Id, StateTypes.Completed);
        await ingress.WaitForAcceptedStatusesAsync(2);
        var completed = await FollowAsync(ingress, message.EventId!.Value, message.OidcToken, HttpStatusCode.OK);

        Assert.False(running["finished"]!.GetValue<bool>());
        var route = Assert.Single(running["routes"]!.AsArray())!.AsObject();
        Assert.Equal("release", route["route"]!.GetValue<string>());
        Assert.Equal(run.Id.ToString(), route["flowRunId"]!.GetValue<string>());
        Assert.Equal(ingress.Prefect.FlowRunUiUrl(run.Id), route["url"]!.GetValue<string>());
        Assert.Equal("INPROGRESS", route["commitStatus"]!.GetValue<string>());
        Assert.True(completed["finished"]!.GetValue<bool>() && completed["succeeded"]!.GetValue<bool>(), completed.ToJsonString());
        var done = completed["routes"]![0]!.AsObject();
        Assert.Equal("COMPLETED", done["state"]!.GetValue<string>());
        Assert.Equal("SUCCESSFUL", done["commitStatus"]!.GetValue<string>());
        Assert.Equal("SUCCESSFUL", done["reportedStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task Token_of_another_repository_is_answered_403_and_a_forged_one_401()
    {
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().StartAsync();
        var message = ingress.Issue(SampleEvents.UnsignedTag("v5.1.0"));
        using var posted = await ingress.PostAsync(message);
        await ingress.WaitForAcceptedStatusesAsync();
        var other = ingress.Issue(SampleEvents.UnsignedTag(repository: "acme/web") with
        {
            Repository = new Bridge.Contracts.RepositoryInfo { FullName = "acme/web", Uuid = SampleEvents.Braced() },
        });
        var forged = ForgedTokens.Tampered(message.OidcToken, claims => claims["sub"] = "intruder");

        var otherRepository = await FollowAsync(ingress, message.EventId!.Value, other.OidcToken, HttpStatusCode.Forbidden);
        var forgedToken = await FollowAsync(ingress, message.EventId!.Value, forged, HttpStatusCode.Unauthorized);

        Assert.Equal("repository-mismatch", otherRepository["reason"]!.GetValue<string>());
        Assert.Equal("bad-signature", forgedToken["reason"]!.GetValue<string>());
        Assert.Null(otherRepository["routes"]);
    }

    [Fact]
    public async Task Event_without_flow_runs_is_answered_404()
    {
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().StartAsync();
        var token = ingress.Issue(SampleEvents.UnsignedTag()).OidcToken;

        await FollowAsync(ingress, Guid.NewGuid(), token, HttpStatusCode.NotFound);
    }

    private static async Task<JsonObject> FollowAsync(BridgeStack ingress, Guid eventId, string token, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/events/{eventId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await ingress.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
