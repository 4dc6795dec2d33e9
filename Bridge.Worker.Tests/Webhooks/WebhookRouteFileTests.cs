using Bridge.Tests.Support;
using Bridge.Worker.Routing;

namespace Bridge.Tests.Webhooks;

/// <summary>The <c>webhooks:</c> key of a route: opt-in, and what a route without a pipeline token behind it cannot ask for.</summary>
public sealed class WebhookRouteFileTests
{
    private static (IReadOnlyList<RouteDefinition> Routes, IReadOnlyList<string> Errors) Read(string yaml) =>
        RouteFile.Read(YamlToJson.Parse(new StringReader(yaml)), "routes.yaml");

    [Fact]
    public void Route_opts_in_to_the_webhook_events_it_lists_and_other_routes_take_none()
    {
        var (routes, errors) = Read("""
            routes:
              - name: pushed-tags
                match: { events: [tag] }
                deployment: f/d
                webhooks: [repo:push, pullrequest:fulfilled]
              - name: pipelines
                match: { events: [tag] }
                deployment: f/d
            """);

        Assert.Empty(errors);
        Assert.Equal(["repo:push", "pullrequest:fulfilled"], routes[0].Webhooks);
        Assert.True(routes[0].TakesWebhooks);
        Assert.False(routes[1].TakesWebhooks);
    }

    [Fact]
    public void Pipeline_events_never_match_a_webhook_route_and_webhooks_only_match_routes_that_opted_in()
    {
        var (routes, _) = Read("""
            routes:
              - name: pushed-tags
                match: { events: [tag] }
                deployment: f/d
                webhooks: repo:push
              - name: pipelines
                match: { events: [tag] }
                deployment: f/d
            """);
        var table = new RouteTable(routes);
        var tag = Support.SampleEvents.UnsignedTag();

        Assert.Equal(["pipelines"], table.Match(tag).Select(r => r.Name));
        Assert.Equal(["pushed-tags"], table.MatchWebhook("repo:push", tag).Select(r => r.Name));
        Assert.Empty(table.MatchWebhook("pullrequest:fulfilled", tag));
    }

    [Fact]
    public void Webhook_route_cannot_ask_for_credentials_environments_or_cancelling_superseded_runs()
    {
        var (_, errors) = Read("""
            routes:
              - name: pushed
                match: { events: [merge] }
                deployment: f/d
                webhooks: [repo:push]
                cancelSuperseded: true
                allow: { environments: [Production] }
                credentials:
                  aws: { roleArn: "arn:aws:iam::123456789012:role/deploy" }
            """);

        Assert.Contains(errors, e => e.StartsWith("routes.yaml: routes[0] ('pushed').credentials: a route that takes webhooks cannot ask for credentials", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("routes.yaml: routes[0] ('pushed').allow.environments:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("routes.yaml: routes[0] ('pushed').cancelSuperseded:", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_webhook_event_and_empty_list_are_named()
    {
        var (_, errors) = Read("""
            routes:
              - name: a
                match: { events: [tag] }
                deployment: f/d
                webhooks: [repo:fork]
              - name: b
                match: { events: [tag] }
                deployment: f/d
                webhooks: []
            """);

        Assert.Contains(errors, e => e.Contains("routes[0] ('a').webhooks: 'repo:fork' is not a webhook event Bridge reads", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("routes[1] ('b').webhooks: list at least one of", StringComparison.Ordinal));
    }
}
