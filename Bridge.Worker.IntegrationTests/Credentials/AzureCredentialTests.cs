using Bridge.Sandbox.Emulators;
using Bridge.Sandbox.Emulators.Entra;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Credentials;

namespace Bridge.Tests.Credentials;

/// <summary>Azure tokens through the real broker, the worker (and its own issuer) and the HTTPS Entra emulator.</summary>
[Collection(BrokerCollection.Name)]
public sealed class AzureCredentialTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Bridge_assertion_is_accepted_by_the_federated_credential_of_its_stable_subject()
    {
        await using var stack = await CredentialRoutes.Stack(fixture.Broker).StartAsync();
        var subject = BridgeAssertionIssuer.Subject(SampleWorkspace.Uuid, SampleEvents.RepositoryUuid, "azure");
        stack.Entra.AddApplication(CredentialRoutes.Tenant, stack.ClientId, new FederatedCredential(CredentialRoutes.IssuerUrl, subject));

        await stack.SendAsync(CredentialRoutes.Tag("az-1"), CancellationToken.None);
        await stack.WaitForAcceptedStatusesAsync();

        var call = Assert.Single(stack.Entra.Calls);
        Assert.Null(call.Error);
        Assert.Equal($"bitbucket:922e118c-f34f-4226-a897-0e0afbec553d:1de489be-ce6a-42a0-a8c8-eadbf1174ac7:azure", call.AssertionSubject);
        Assert.Equal(CredentialRoutes.IssuerUrl, call.AssertionIssuer);
        var env = Assert.Single(stack.Prefect.FlowRuns).JobVariables["env"]!.AsObject();
        Assert.Equal(call.AccessToken, env["AZURE_ACCESS_TOKEN"]!.GetValue<string>());
        Assert.True(DateTimeOffset.Parse(env["AZURE_ACCESS_TOKEN_EXPIRES_ON"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Assertion_for_another_repository_is_refused_with_FAILED_and_no_run()
    {
        await using var stack = await CredentialRoutes.Stack(fixture.Broker).StartAsync();
        var apiOnly = BridgeAssertionIssuer.Subject(SampleWorkspace.Uuid, SampleEvents.RepositoryUuid, "azure");
        stack.Entra.AddApplication(CredentialRoutes.Tenant, stack.ClientId, new FederatedCredential(CredentialRoutes.IssuerUrl, apiOnly));
        var message = CredentialRoutes.Tag("az-2", "acme/web");

        await stack.SendAsync(message, CancellationToken.None);
        var dead = Assert.Single(await DeadLetters.TakeAsync(fixture.Broker, stack.Queue));

        var call = Assert.Single(stack.Entra.Calls);
        Assert.Equal(700213, call.ErrorCode);
        Assert.Equal(BridgeAssertionIssuer.Subject(SampleWorkspace.Uuid, CredentialRoutes.OtherRepositoryUuid, "azure"), call.AssertionSubject);
        Assert.Contains("Azure refused app", dead.FaultMessage, StringComparison.Ordinal);
        await stack.WaitForAcceptedStatusesAsync();
        var status = Assert.Single(stack.Bitbucket.Statuses);
        Assert.Equal(BuildState.Failed, status.State);
        Assert.Equal($"Azure refused app {stack.ClientId} in tenant {CredentialRoutes.Tenant} for this repository (invalid_client, AADSTS700213)", status.Description);
        Assert.Empty(stack.Prefect.FlowRuns);
    }

    [Fact]
    public async Task Entra_unavailable_is_retried_with_a_new_credential_and_starts_one_run()
    {
        await using var stack = await CredentialRoutes.Stack(fixture.Broker).StartAsync();
        var subject = BridgeAssertionIssuer.Subject(SampleWorkspace.Uuid, SampleEvents.RepositoryUuid, "azure");
        stack.Entra.AddApplication(CredentialRoutes.Tenant, stack.ClientId, new FederatedCredential(CredentialRoutes.IssuerUrl, subject));
        stack.Entra.FailNext(503);

        await stack.SendAsync(CredentialRoutes.Tag("az-3"), CancellationToken.None);
        await stack.WaitForAcceptedStatusesAsync();

        Assert.Equal(["temporarily_unavailable", null], stack.Entra.Calls.Select(c => c.Error));
        Assert.NotEqual(stack.Entra.Calls[0].Assertion, stack.Entra.Calls[1].Assertion);
        Assert.Single(stack.Prefect.FlowRuns);
        Assert.DoesNotContain(stack.Bitbucket.Statuses, s => s.State == BuildState.Failed);
    }

    [Fact]
    public async Task Direct_mode_sends_the_step_token_which_a_federated_credential_for_its_own_subject_accepts()
    {
        await using var stack = await CredentialRoutes.Stack(fixture.Broker).StartAsync();
        var message = CredentialRoutes.Tag("azd-1");
        stack.Entra.AddApplication(
            CredentialRoutes.Tenant, stack.ClientId,
            new FederatedCredential(SampleWorkspace.Issuer, $"{message.Repository.Uuid}:{message.StepUuid}", SampleWorkspace.Oidc.DefaultAudience));

        await stack.SendAsync(message, CancellationToken.None);
        await stack.WaitForAcceptedStatusesAsync();

        var call = Assert.Single(stack.Entra.Calls);
        Assert.Null(call.Error);
        Assert.Equal(SampleWorkspace.Issuer, call.AssertionIssuer);
        Assert.Equal("https://storage.azure.com/.default", call.Scope);
        Assert.Single(stack.Prefect.FlowRuns);
    }

    [Fact]
    public async Task Issuer_documents_are_served_on_the_worker_and_list_the_signing_key()
    {
        await using var stack = await CredentialRoutes.Stack(fixture.Broker).StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(stack.Worker.Urls.First()) };

        var discovery = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri("/oidc/.well-known/openid-configuration", UriKind.Relative)))!;
        var jwks = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri("/oidc/.well-known/jwks.json", UriKind.Relative)))!;

        Assert.Equal(CredentialRoutes.IssuerUrl, discovery["issuer"]!.GetValue<string>());
        Assert.Equal(CredentialRoutes.IssuerUrl + "/.well-known/jwks.json", discovery["jwks_uri"]!.GetValue<string>());
        var key = Assert.Single(jwks["keys"]!.AsArray())!;
        Assert.Equal("RS256", key["alg"]!.GetValue<string>());
        Assert.Null(key["d"]);
    }
}
