using Bridge.Worker.Routing;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Credentials;

/// <summary>Checks <c>Bridge:Credentials</c> at start, and that what the routes ask for is configured.</summary>
internal sealed class CredentialsOptionsValidator(IOptions<RoutingOptions> routing) : IValidateOptions<CredentialsOptions>
{
    private const string S = CredentialsOptions.Section;

    public ValidateOptionsResult Validate(string? name, CredentialsOptions options)
    {
        var errors = new List<string>();
        var aws = options.Aws;
        if (aws.ServiceUrl is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var sts) || sts.Scheme is not ("https" or "http")))
        {
            errors.Add($"{S}:Aws:ServiceUrl must be an absolute URL, e.g. https://sts.eu-west-1.amazonaws.com (got '{url}')");
        }

        if (!AwsRequestRules.IsRegion(aws.Region))
        {
            errors.Add($"{S}:Aws:Region must be an AWS region name, e.g. eu-west-1 (got '{aws.Region}')");
        }

        if (aws.MaxAttempts is < 1 or > 10)
        {
            errors.Add($"{S}:Aws:MaxAttempts must be between 1 and 10 (got {aws.MaxAttempts})");
        }

        if (aws.RetryBaseDelay <= TimeSpan.Zero || aws.RetryBaseDelay > aws.MaxRetryDelay)
        {
            errors.Add($"{S}:Aws:RetryBaseDelay must be positive and at most {S}:Aws:MaxRetryDelay, e.g. 00:00:00.500");
        }

        if (aws.AttemptTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{S}:Aws:AttemptTimeout must be positive, e.g. 00:00:15");
        }

        var azure = options.Azure;
        if (!Uri.TryCreate(azure.AuthorityHost, UriKind.Absolute, out var authority) || authority.Scheme != "https")
        {
            errors.Add($"{S}:Azure:AuthorityHost must be an absolute https URL (Azure.Identity refuses http), e.g. https://login.microsoftonline.com/ (got '{azure.AuthorityHost}')");
        }

        if (azure.TrustedCertificateFile is { Length: > 0 } pem && !File.Exists(pem))
        {
            errors.Add($"{S}:Azure:TrustedCertificateFile: '{pem}' does not exist (a PEM file of certificates to trust)");
        }

        if (azure.MaxRetries is < 0 or > 10)
        {
            errors.Add($"{S}:Azure:MaxRetries must be between 0 and 10 (got {azure.MaxRetries})");
        }

        CheckIssuer(options.Issuer, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The routes file, when its setting is valid (its own validator reports it otherwise).</summary>
    private string? RoutesFile()
    {
        try
        {
            return routing.Value.File;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }

    private void CheckIssuer(IssuerOptions issuer, List<string> errors)
    {
        var needed = RoutesFile() is { } file && RouteFile.Load(file).Routes
            .Any(r => r.Credentials?.Azure is { Assertion: AzureAssertion.Bridge });
        if (issuer.Url is null && issuer.SigningKeyFiles.Count == 0)
        {
            if (needed)
            {
                errors.Add($"{S}:Issuer:Url and {S}:Issuer:SigningKeyFiles are required: a route gets Azure credentials with Bridge's own assertion "
                    + "(credentials.azure.assertion: bridge), e.g. Url=https://bridge.example.com/oidc, SigningKeyFiles:0=/run/secrets/bridge-issuer.pem");
            }

            return;
        }

        if (!Uri.TryCreate(issuer.Url, UriKind.Absolute, out var url) || url.Scheme != "https" || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            errors.Add($"{S}:Issuer:Url must be an absolute https URL without query or fragment, where Entra fetches {{Url}}/.well-known/openid-configuration (got '{issuer.Url}')");
        }

        if (issuer.SigningKeyFiles.Count is 0 or > 2)
        {
            errors.Add($"{S}:Issuer:SigningKeyFiles must list one or two PEM RSA private keys (the first signs; a second is published during a rotation)");
        }
        else
        {
            errors.AddRange(IssuerKeys.Load(issuer.SigningKeyFiles).Errors);
        }

        if (string.IsNullOrWhiteSpace(issuer.Audience))
        {
            errors.Add($"{S}:Issuer:Audience must not be empty (Entra's default is api://AzureADTokenExchange)");
        }

        if (issuer.AssertionLifetime < TimeSpan.FromMinutes(1) || issuer.AssertionLifetime > TimeSpan.FromHours(1))
        {
            errors.Add($"{S}:Issuer:AssertionLifetime must be between 00:01:00 and 01:00:00 (got {issuer.AssertionLifetime})");
        }
    }
}
