using Bridge.Worker.Identity;

namespace Bridge.Tests.Identity;

public sealed class IdentityOptionsTests
{
    private static IReadOnlyList<string> Failures(IdentityOptions options) =>
        new IdentityOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void An_empty_allow_list_stops_start_up_naming_the_setting()
    {
        Assert.Contains(Failures(new IdentityOptions()), f => f.StartsWith("Bridge:Identity:Workspaces must list at least one workspace", StringComparison.Ordinal));
    }

    [Fact]
    public void Plain_http_issuer_needs_the_development_setting()
    {
        var options = new IdentityOptions
        {
            Workspaces = { ["acme"] = new TrustedWorkspace { Uuid = "{922e118c-f34f-4226-a897-0e0afbec553d}", DiscoveryUrl = "http://127.0.0.1:1/x" } },
        };

        Assert.Contains(Failures(options), f => f.Contains("Bridge:Identity:Workspaces:acme:DiscoveryUrl must use https", StringComparison.Ordinal)
            && f.Contains("Bridge:Identity:AllowInsecureHttp", StringComparison.Ordinal));
        options.AllowInsecureHttp = true;
        Assert.Empty(Failures(options));
    }

    [Fact]
    public void Workspace_uuid_must_be_braced()
    {
        var options = new IdentityOptions { Workspaces = { ["acme"] = new TrustedWorkspace { Uuid = "922e118c-f34f-4226-a897-0e0afbec553d" } } };

        Assert.Contains(Failures(options), f => f.StartsWith("Bridge:Identity:Workspaces:acme:Uuid must be the workspace UUID in braces", StringComparison.Ordinal));
    }

    [Fact]
    public void Default_issuer_and_audience_are_bitbuckets()
    {
        var workspace = new TrustedWorkspace { Uuid = "{922E118C-F34F-4226-A897-0E0AFBEC553D}" };

        Assert.Equal("https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc", workspace.IssuerFor("acme"));
        Assert.Equal("https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc/.well-known/openid-configuration", workspace.DiscoveryUrlFor("acme"));
        Assert.Equal(["ari:cloud:bitbucket::workspace/922e118c-f34f-4226-a897-0e0afbec553d"], workspace.AudiencesOrDefault());
    }
}
