using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Bridge.Worker.Routing;
using Bridge.Worker.Triggers;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace Bridge.Worker.Credentials;

/// <summary>
/// An Entra access token for one event and route through a <see cref="ClientAssertionCredential"/> made for this call
/// alone: MSAL caches per credential instance and leaves the assertion out of its cache key, so a shared instance would
/// hand one pipeline's token to another. The assertion is Bridge's own (stable subject) or, in direct mode, the step token.
/// </summary>
internal sealed class AzureCredentialExchange(
    IOptions<CredentialsOptions> options, BridgeAssertionIssuer issuer, IHttpClientFactory http, ILogger<AzureCredentialExchange> logger)
{
    public const string HttpClientName = "bridge-entra";

    public async Task<CloudAnswer<AzureSession>> GetTokenAsync(Trigger trigger, PipelineStepOrigin step, RouteDefinition route, AzureRoute azure, CancellationToken cancellationToken)
    {
        if (azure.Assertion == AzureAssertion.Bridge && !issuer.IsConfigured)
        {
            return CloudAnswer<AzureSession>.Refusal(
                $"Bridge cannot sign an assertion for route {route.Name}: {CredentialsOptions.Section}:Issuer:Url and SigningKeyFiles are not set");
        }

        var assertion = azure.Assertion == AzureAssertion.Step ? step.StepToken : BridgeAssertion(trigger, route);
        var settings = options.Value.Azure;
        var credentialOptions = new ClientAssertionCredentialOptions
        {
            AuthorityHost = new Uri(settings.AuthorityHost),
            DisableInstanceDiscovery = true,
            Transport = new HttpClientTransport(http.CreateClient(HttpClientName)),
        };
        credentialOptions.Retry.MaxRetries = settings.MaxRetries;
        credentialOptions.Retry.Delay = settings.RetryDelay;
        var credential = new ClientAssertionCredential(azure.TenantId, azure.ClientId, _ => Task.FromResult(assertion), credentialOptions);
        try
        {
            var token = await credential.GetTokenAsync(new TokenRequestContext([azure.Scope]), cancellationToken);
            logger.LogInformation(
                "Route {Route}: Entra token for client {ClientId} in tenant {TenantId} ({Scope}) until {ExpiresOn}",
                route.Name, azure.ClientId, azure.TenantId, azure.Scope, token.ExpiresOn);
            return CloudAnswer<AzureSession>.Granted(new AzureSession(token.Token, token.ExpiresOn, azure.TenantId, azure.ClientId));
        }
        catch (AuthenticationFailedException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var service = ex.InnerException as MsalServiceException;
            var code = service?.ErrorCode ?? ex.InnerException?.GetType().Name ?? "authentication_failed";
            var aadsts = service?.Message is { } text && text.Contains("AADSTS", StringComparison.Ordinal)
                ? text[text.IndexOf("AADSTS", StringComparison.Ordinal)..].Split(':')[0]
                : null;
            logger.LogWarning(
                "Route {Route}: Entra refused client {ClientId} in tenant {TenantId} ({ErrorCode} {Aadsts}, HTTP {StatusCode})",
                route.Name, azure.ClientId, azure.TenantId, code, aadsts, service?.StatusCode);
            if (service is null || service.StatusCode is 429 or >= 500)
            {
                throw new UpstreamUnavailableException("entra", $"Entra could not issue a token for client {azure.ClientId} in tenant {azure.TenantId} ({code})");
            }

            var detail = aadsts is null ? code : $"{code}, {aadsts}";
            return CloudAnswer<AzureSession>.Refusal($"Azure refused app {azure.ClientId} in tenant {azure.TenantId} for this repository ({detail})");
        }
    }

    private string BridgeAssertion(Trigger trigger, RouteDefinition route)
    {
        var subject = BridgeAssertionIssuer.Subject(trigger.Workspace.Uuid, trigger.Repository.Uuid, route.Name);
        return issuer.Sign(subject, new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["workspaceUuid"] = trigger.Workspace.Uuid,
            ["repositoryUuid"] = trigger.Repository.Uuid,
            ["route"] = route.Name,
        });
    }
}
