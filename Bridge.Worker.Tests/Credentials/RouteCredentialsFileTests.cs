using Bridge.Tests.Support;
using Bridge.Worker.Credentials;
using Bridge.Worker.Routing;

namespace Bridge.Tests.Credentials;

/// <summary>A route's credentials block is checked at start, and the session name traces back to repository and build.</summary>
public sealed class RouteCredentialsFileTests
{
    private const string Route = """
        routes:
          - name: deploy
            match: { repository: "acme/*" }
            deployment: flow/prod
            credentials:
        """;

    [Fact]
    public void Valid_block_is_read_with_policy_mapping_as_json_and_delivery_env_by_default()
    {
        var route = Assert.Single(Load("""
                  aws:
                    roleArn: arn:aws:iam::123456789012:role/deploy
                    durationSeconds: 1800
                    sessionPolicy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "s3:*", Resource: "*" }] }
                    policyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
                  azure: { tenantId: contoso.onmicrosoft.com, clientId: 6f9619ff-8b86-d011-b42d-00c04fc964ff, scope: https://management.azure.com/.default }
            """).Routes);

        Assert.Equal(1800, route.Credentials!.Aws!.DurationSeconds);
        Assert.Contains("\"Action\":\"s3:*\"", route.Credentials.Aws.SessionPolicy, StringComparison.Ordinal);
        Assert.Equal(AzureAssertion.Bridge, route.Credentials.Azure!.Assertion);
        Assert.Equal(CredentialDelivery.Env, route.Credentials.Delivery);
    }

    [Fact]
    public void Wrong_role_duration_policy_and_assertion_stop_start_up_naming_the_field()
    {
        var errors = Load("""
                  delivery: tags
                  aws: { roleArn: "arn:aws:iam::123:role/x", durationSeconds: 60, sessionPolicy: "{not json", policyArns: [nope] }
                  azure: { tenantId: t, clientId: not-a-guid, scope: x, assertion: magic }
            """).Errors;

        Assert.Contains(errors, e => e.Contains("credentials.delivery", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("credentials.aws.roleArn", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("credentials.aws.durationSeconds: must be between 900 and 43200", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("credentials.aws.sessionPolicy: is not valid JSON", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("credentials.aws.policyArns: 'nope'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("credentials.azure.clientId", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("credentials.azure.assertion", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("acme/api", 128, "api.128")]
    [InlineData("acme/my repo!", 7, "my-repo-.7")]
    public void Session_name_traces_repository_and_build(string repository, long build, string expected) =>
        Assert.Equal(expected, AwsRequestRules.SessionName(repository, build));

    [Fact]
    public void Session_name_of_a_long_repository_keeps_the_build_and_fits_64_characters()
    {
        var name = AwsRequestRules.SessionName("acme/" + new string('r', 80), 123456);

        Assert.Equal(64, name.Length);
        Assert.EndsWith(".123456", name, StringComparison.Ordinal);
        Assert.True(AwsRequestRules.IsSessionName(name));
    }

    [Fact]
    public void Subject_is_stable_per_repository_and_route_whatever_the_step()
    {
        var subject = BridgeAssertionIssuer.Subject(SampleEvents.WorkspaceUuid, SampleEvents.RepositoryUuid, "deploy");

        Assert.Equal("bitbucket:922e118c-f34f-4226-a897-0e0afbec553d:1de489be-ce6a-42a0-a8c8-eadbf1174ac7:deploy", subject);
    }

    private static (IReadOnlyList<RouteDefinition> Routes, IReadOnlyList<string> Errors) Load(string credentials) =>
        RouteFile.Read(YamlToJson.Parse(new StringReader(Route + "\n" + credentials)), "routes.yaml");
}
