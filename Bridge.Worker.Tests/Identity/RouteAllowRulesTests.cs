using Bridge.Tests.Support;
using Bridge.Worker.Identity;
using Bridge.Worker.Routing;
using SampleEvents = Bridge.Tests.Support.SampleEvents;

namespace Bridge.Tests.Identity;

public sealed class RouteAllowRulesTests
{
    private const string Production = "{7c9e6679-7425-40de-944b-e07fc1f90ae7}";

    private static (IReadOnlyList<RouteDefinition> Routes, IReadOnlyList<string> Errors) Read(string yaml) =>
        RouteFile.Read(YamlToJson.Parse(new StringReader(yaml)), "routes.yaml");

    private static VerifiedIdentity Identity(string? environment = null) => new()
    {
        WorkspaceUuid = SampleEvents.WorkspaceUuid,
        RepositoryUuid = SampleEvents.RepositoryUuid,
        PipelineUuid = SampleEvents.Braced(),
        StepUuid = SampleEvents.Braced(),
        DeploymentEnvironment = environment,
        ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
    };

    [Fact]
    public void Allow_rules_and_verify_commit_are_read_and_default_to_anything_and_true()
    {
        var (routes, errors) = Read($$"""
            routes:
              - name: guarded
                match: { events: [tag] }
                deployment: f/d
                allow: { repositories: ["acme/*", "{{SampleEvents.RepositoryUuid}}"], branches: main, tags: ["refs/tags/v*"], environments: ["{{Production}}"] }
                verifyCommit: false
              - name: open
                match: { events: [merge] }
                deployment: f/e
            """);

        Assert.Empty(errors);
        var guarded = routes[0];
        Assert.False(guarded.VerifyCommit);
        Assert.Equal([SampleEvents.RepositoryUuid], guarded.Allow.RepositoryUuids);
        Assert.Equal(["acme/*"], guarded.Allow.Repositories.Select(p => p.Pattern));
        Assert.Equal(["v*"], guarded.Allow.Tags.Select(p => p.Pattern));
        Assert.Equal(["main"], guarded.Allow.Branches.Select(p => p.Pattern));
        Assert.True(routes[1].VerifyCommit);
        Assert.Same(RouteAllow.Anything, routes[1].Allow);
    }

    [Fact]
    public void Wrong_allow_rules_are_reported_with_the_route_and_field()
    {
        var (_, errors) = Read("""
            routes:
              - name: r
                match: { events: [tag] }
                deployment: f/d
                allow: { users: [mallory], tags: { v: 1 } }
                verifyCommit: sometimes
            """);

        Assert.Contains(errors, e => e.Contains("routes[0] ('r').allow: unknown key 'users'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("routes[0] ('r').allow.tags: must be a string or a list of strings", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("routes[0] ('r').verifyCommit: must be true or false", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("acme/api", "v1.0", Production, null)]
    [InlineData("acme/web", "v1.0", Production, "repository-not-allowed")]
    [InlineData("acme/api", "nightly-1", Production, "ref-not-allowed")]
    [InlineData("acme/api", "v1.0", "{16fd2706-8baf-433b-82eb-8c7fada847da}", "environment-not-allowed")]
    [InlineData("acme/api", "v1.0", null, "environment-not-allowed")]
    public void Matched_route_refuses_what_its_allow_rules_do_not_allow(string repository, string tag, string? environment, string? reason)
    {
        var (routes, _) = Read($$"""
            routes:
              - name: deploy
                match: { events: [tag] }
                deployment: f/d
                allow: { repositories: ["acme/api"], tags: ["v*"], environments: ["{{Production}}"] }
            """);
        var message = SampleEvents.UnsignedTag(tag, repository: repository) with
        {
            Repository = new Bridge.Contracts.RepositoryInfo { FullName = repository, Uuid = repository == "acme/api" ? SampleEvents.RepositoryUuid : SampleEvents.Braced() },
        };
        var identity = Identity(environment) with { RepositoryUuid = message.Repository.Uuid };

        var refused = routes[0].Allow.Evaluate(routes[0].Name, message.AsTrigger().Subject, identity.RepositoryUuid, identity.DeploymentEnvironment);

        Assert.Equal(reason, refused?.Reason);
    }
}
