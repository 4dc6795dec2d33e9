using Bridge.Tests.Support;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Dispatch;
using Bridge.Worker.Routing;

namespace Bridge.Tests.Unit;

public sealed class KeysTests
{
    private static RouteDefinition Route(string name, string flow = "release", string deployment = "prod") => new()
    {
        Name = name,
        Match = new RouteMatch(null, null, new HashSet<Bridge.Contracts.EventKind>(), null),
        FlowName = flow,
        DeploymentName = deployment,
        Parameters = new Dictionary<string, System.Text.Json.Nodes.JsonNode?>(),
        Tags = [],
        StatusName = name,
    };

    [Fact]
    public void Status_keys_fit_bitbucket_and_differ_per_route_and_deployment()
    {
        var keys = new[] { StatusKeys.For("a", "f/d"), StatusKeys.For("b", "f/d"), StatusKeys.For("a", "f/e") };

        Assert.All(keys, k => Assert.Matches("^[0-9a-f]{40}$", k));
        Assert.Equal(3, keys.Distinct().Count());
        Assert.Equal(StatusKeys.For(new string('r', 64), "flow/deployment"), StatusKeys.For(new string('r', 64), "flow/deployment"));
    }

    [Fact]
    public void Idempotency_keys_are_stable_per_event_and_differ_per_route_deployment_and_step()
    {
        var message = SampleEvents.Tag();
        var key = Key(message, Route("a"));

        Assert.Equal(key, Key(message with { EventId = Guid.NewGuid() }, Route("a")));
        Assert.NotEqual(key, Key(message, Route("b")));
        Assert.NotEqual(key, Key(message, Route("a", deployment: "staging")));
        Assert.NotEqual(key, Key(message with { StepUuid = SampleEvents.Braced() }, Route("a")));
    }

    private static string Key(Bridge.Contracts.PipelineEvent message, RouteDefinition route) => IdempotencyKeys.For(message.AsTrigger(), route);
}
