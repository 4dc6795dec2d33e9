using Bridge.Tests.Support;
using Bridge.Worker.Routing;

namespace Bridge.Tests.Unit;

public sealed class RouteMatchingTests
{
    private static RouteTable Table(string yaml)
    {
        var (routes, errors) = RouteFile.Read(YamlToJson.Parse(new StringReader(yaml)), "test.yaml");
        Assert.Empty(errors);
        return new RouteTable(routes);
    }

    [Theory]
    [InlineData("v*", "v1.2.0", true)]
    [InlineData("refs/tags/v*", "v1.2.0", true)]
    [InlineData("v*", "release-1", false)]
    [InlineData("v?.*", "v1.2", true)]
    public void Tag_patterns_match_the_bare_tag_names_Bitbucket_Cloud_sends(string pattern, string tag, bool matches)
    {
        var table = Table($"routes:\n  - name: r\n    match: {{ events: [tag], ref: '{pattern}' }}\n    deployment: f/d\n");

        Assert.Equal(matches, table.Match(SampleEvents.Tag(tag)).Count == 1);
    }

    [Fact]
    public void Single_star_stays_within_a_path_segment_and_double_star_crosses_them()
    {
        var table = Table("""
            routes:
              - name: one
                match: { ref: 'release/*' }
                deployment: f/d
              - name: deep
                match: { ref: 'release/**' }
                deployment: f/d
            """);

        Assert.Equal(["one", "deep"], table.Match(SampleEvents.Merge("release/1.0")).Select(r => r.Name));
        Assert.Equal(["deep"], table.Match(SampleEvents.Merge("release/1.0/hotfix")).Select(r => r.Name));
    }

    [Fact]
    public void An_event_can_match_several_routes_and_event_kinds_filter_them()
    {
        var table = Table("""
            routes:
              - name: checks
                match: { repository: 'acme/*', events: [merge], ref: main }
                deployment: checks/default
              - name: docs
                match: { repository: 'acme/api', events: merge }
                deployment: docs/build
              - name: release
                match: { events: [tag] }
                deployment: release/prod
            """);

        Assert.Equal(["checks", "docs"], table.Match(SampleEvents.Merge("main")).Select(r => r.Name));
        Assert.Equal(["release"], table.Match(SampleEvents.Tag()).Select(r => r.Name));
        Assert.DoesNotContain(table.Match(SampleEvents.Merge("main", repository: "other/api")), r => r.Name == "checks");
    }

    [Fact]
    public void Repository_can_be_matched_by_uuid()
    {
        var table = Table($"routes:\n  - name: r\n    match: {{ repository: '{SampleEvents.RepositoryUuid}' }}\n    deployment: f/d\n");

        Assert.Single(table.Match(SampleEvents.Tag()));
        Assert.Empty(table.Match(SampleEvents.Tag() with { Repository = new() { FullName = "acme/api", Uuid = SampleEvents.Braced() } }));
    }
}
