using Bridge.Worker.Cli;
using Bridge.Worker.Credentials;
using Bridge.Worker.Routing;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.Credentials;

/// <summary>Bridge:Credentials is validated at start with messages naming the setting; the CLI writes the issuer documents.</summary>
public sealed class CredentialsSettingsTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("bridge-issuer-test-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void Azure_route_with_bridge_assertion_requires_the_issuer()
    {
        var routes = Path.Combine(folder.FullName, "routes.yaml");
        File.WriteAllText(routes, """
            routes:
              - name: az
                match: { repository: "acme/*" }
                deployment: flow/prod
                credentials: { azure: { tenantId: contoso.onmicrosoft.com, clientId: 6f9619ff-8b86-d011-b42d-00c04fc964ff, scope: api://x/.default } }
            """);
        var validator = new CredentialsOptionsValidator(Options.Create(new RoutingOptions { File = routes }));

        var result = validator.Validate(null, new CredentialsOptions());

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Bridge:Credentials:Issuer:Url and Bridge:Credentials:Issuer:SigningKeyFiles are required", StringComparison.Ordinal));
    }

    [Fact]
    public void Wrong_settings_are_named()
    {
        var options = new CredentialsOptions();
        options.Aws.ServiceUrl = "not a url";
        options.Aws.Region = "Europe";
        options.Aws.MaxAttempts = 0;
        options.Azure.AuthorityHost = "http://login.test/";
        options.Issuer.Url = "http://bridge.example.com/oidc";
        options.Issuer.SigningKeyFiles = [Path.Combine(folder.FullName, "missing.pem")];

        var failures = new CredentialsOptionsValidator(Options.Create(new RoutingOptions())).Validate(null, options).Failures!.ToList();

        foreach (var setting in new[] { "Aws:ServiceUrl", "Aws:Region", "Aws:MaxAttempts", "Azure:AuthorityHost", "Issuer:Url", "Issuer:SigningKeyFiles:0" })
        {
            Assert.Contains(failures, f => f.StartsWith("Bridge:Credentials:" + setting, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Issuer_documents_verb_writes_discovery_and_jwks_of_both_keys_during_a_rotation()
    {
        var current = Path.Combine(folder.FullName, "current.pem");
        var next = Path.Combine(folder.FullName, "next.pem");
        await File.WriteAllTextAsync(current, IssuerKeys.NewPem());
        await File.WriteAllTextAsync(next, IssuerKeys.NewPem());
        var root = new System.CommandLine.RootCommand { IssuerCommand.Create() };
        var site = Path.Combine(folder.FullName, "site");

        var exit = await root.Parse([
            "issuer", "documents", "--out", site, "--Bridge:Credentials:Issuer:Url=https://bridge.example.com/oidc",
            $"--Bridge:Credentials:Issuer:SigningKeyFiles:0={current}", $"--Bridge:Credentials:Issuer:SigningKeyFiles:1={next}",
        ]).InvokeAsync();

        Assert.Equal(0, exit);
        var discovery = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(site, ".well-known", "openid-configuration")))!;
        Assert.Equal("https://bridge.example.com/oidc", discovery["issuer"]!.GetValue<string>());
        Assert.Equal("https://bridge.example.com/oidc/.well-known/jwks.json", discovery["jwks_uri"]!.GetValue<string>());
        var jwks = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(site, ".well-known", "jwks.json")))!;
        Assert.Equal(2, jwks["keys"]!.AsArray().Count);
        Assert.DoesNotContain("\"d\"", jwks.ToJsonString(), StringComparison.Ordinal);
    }
}
