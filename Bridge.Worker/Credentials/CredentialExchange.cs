using System.Globalization;
using System.Text.Json.Nodes;
using Bridge.Worker.Observability;
using Bridge.Worker.Routing;
using Bridge.Worker.Triggers;

namespace Bridge.Worker.Credentials;

/// <summary>
/// For one admitted step and route: exchanges the (verified) step token for the route's cloud credentials and returns
/// the flow run's <c>job_variables</c> (<c>{"env": {...}}</c>) when the route delivers them. Only a
/// <see cref="PipelineStepOrigin"/> has a token to exchange, so a webhook can never reach this.
/// </summary>
internal sealed class CredentialExchange(AwsCredentialExchange aws, AzureCredentialExchange azure, BridgeMetrics metrics)
{
    public async Task<ExchangedCredentials> ObtainAsync(Trigger trigger, PipelineStepOrigin step, RouteDefinition route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (route.Credentials is not { } credentials)
        {
            return ExchangedCredentials.None;
        }

        var env = new JsonObject();
        if (credentials.Aws is { } awsRoute)
        {
            var answer = await aws.AssumeAsync(trigger, step, route, awsRoute, cancellationToken);
            if (answer.Session is not { } session)
            {
                return Refused(answer.Refused);
            }

            env[CredentialVariables.AwsAccessKeyId] = session.AccessKeyId;
            env[CredentialVariables.AwsSecretAccessKey] = session.SecretAccessKey;
            env[CredentialVariables.AwsSessionToken] = session.SessionToken;
            env[CredentialVariables.AwsRegion] = session.Region;
            env[CredentialVariables.AwsDefaultRegion] = session.Region;
            env[CredentialVariables.AwsExpiration] = session.Expiration.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        }

        if (credentials.Azure is { } azureRoute)
        {
            var answer = await azure.GetTokenAsync(trigger, step, route, azureRoute, cancellationToken);
            if (answer.Session is not { } token)
            {
                return Refused(answer.Refused);
            }

            env[CredentialVariables.AzureAccessToken] = token.AccessToken;
            env[CredentialVariables.AzureAccessTokenExpiresOn] = token.ExpiresOn.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        }

        return new ExchangedCredentials(credentials.Delivery == CredentialDelivery.Env ? new JsonObject { ["env"] = env } : null, null);
    }

    private ExchangedCredentials Refused(Rejection? refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        metrics.Rejected(refused.Reason);
        return new ExchangedCredentials(null, refused);
    }
}
