using System.Globalization;
using System.Text.Json.Nodes;
using Bridge.Contracts;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Observability;
using Bridge.Worker.Routing;

namespace Bridge.Worker.Credentials;

/// <summary>
/// For one event and route: exchanges the (verified) step token for the route's cloud credentials and returns the flow
/// run's <c>job_variables</c> (<c>{"env": {...}}</c>) when the route delivers them. A refused exchange posts FAILED with a
/// person-readable reason on the commit (when the route verified it) and throws, so no run starts.
/// </summary>
internal sealed class RouteCredentialBroker(
    AwsCredentialExchange aws, AzureCredentialExchange azure, IBitbucketClient bitbucket, BridgeMetrics metrics, ILogger<RouteCredentialBroker> logger)
{
    public async Task<JsonObject?> ObtainAsync(PipelineEvent message, RouteDefinition route, CancellationToken cancellationToken)
    {
        if (route.Credentials is not { } credentials)
        {
            return null;
        }

        var env = new JsonObject();
        try
        {
            if (credentials.Aws is { } awsRoute)
            {
                var session = await aws.AssumeAsync(message, route, awsRoute, cancellationToken);
                env[CredentialVariables.AwsAccessKeyId] = session.AccessKeyId;
                env[CredentialVariables.AwsSecretAccessKey] = session.SecretAccessKey;
                env[CredentialVariables.AwsSessionToken] = session.SessionToken;
                env[CredentialVariables.AwsRegion] = session.Region;
                env[CredentialVariables.AwsDefaultRegion] = session.Region;
                env[CredentialVariables.AwsExpiration] = session.Expiration.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            }

            if (credentials.Azure is { } azureRoute)
            {
                var token = await azure.GetTokenAsync(message, route, azureRoute, cancellationToken);
                env[CredentialVariables.AzureAccessToken] = token.AccessToken;
                env[CredentialVariables.AzureAccessTokenExpiresOn] = token.ExpiresOn.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            }
        }
        catch (CredentialsRefusedException refused)
        {
            metrics.Rejected(refused.Reason);
            await ReportAsync(message, route, refused, cancellationToken);
            throw;
        }

        return credentials.Delivery == CredentialDelivery.Env ? new JsonObject { ["env"] = env } : null;
    }

    private async Task ReportAsync(PipelineEvent message, RouteDefinition route, CredentialsRefusedException refused, CancellationToken cancellationToken)
    {
        if (!route.VerifyCommit)
        {
            logger.LogWarning("Route {Route}: {Reason}; the commit is not verified (verifyCommit: false), so no status is posted", route.Name, refused.Message);
            return;
        }

        var description = refused.Message.Length <= 254 ? refused.Message : refused.Message[..253] + "…";
        var status = new BuildStatus
        {
            Key = StatusKeys.For(route.Name, route.Deployment),
            State = BuildState.Failed,
            Name = route.StatusName,
            Description = description,
            Url = $"https://bitbucket.org/{message.Repository.FullName}/addon/pipelines/home#!/results/{message.BuildNumber}",
            Refname = message.Ref.Name,
        };
        try
        {
            await bitbucket.PostBuildStatusAsync(new StatusTarget(message.Workspace.Uuid, message.Repository.Uuid, message.Commit), status, cancellationToken);
            metrics.Status(status.State);
            logger.LogWarning("Route {Route}: no flow run; FAILED posted on {Commit}: {Description}", route.Name, message.Commit, description);
        }
        catch (Exception ex) when (ex is PermanentFailureException or UpstreamUnavailableException)
        {
            logger.LogWarning("Route {Route}: could not post FAILED for refused credentials: {Why}", route.Name, ex.Message);
        }
    }
}
