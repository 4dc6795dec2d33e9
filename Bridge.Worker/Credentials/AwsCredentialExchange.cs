using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Bridge.Worker.Routing;
using Bridge.Worker.Triggers;
using Microsoft.Extensions.Options;
using Polly;

namespace Bridge.Worker.Credentials;

/// <summary>
/// STS AssumeRoleWithWebIdentity with the step token, per event and route. The request is checked before it is sent
/// (the SDK sends whatever it is given), the SDK's own retries are off (it would retry InvalidIdentityToken), and this
/// class retries IDPCommunicationError, throttling, 5xx and network errors with jittered back-off (<see cref="StsRetry"/>);
/// AccessDenied, ExpiredToken and policy errors fail at once. One client per region; the client keeps no per-call state.
/// </summary>
/// <param name="randomizer">The retries' jitter source (a number in [0, 1)); absent, Polly's own. Tests fix it.</param>
internal sealed class AwsCredentialExchange(
    IOptions<CredentialsOptions> options, TimeProvider time, ILogger<AwsCredentialExchange> logger, Func<double>? randomizer = null) : IDisposable
{
    private readonly ConcurrentDictionary<string, AmazonSecurityTokenServiceClient> clients = new(StringComparer.Ordinal);

    private readonly ResiliencePipeline retry = StsRetry.Build(options.Value.Aws, time, randomizer, logger);

    private AwsCredentialsOptions Settings => options.Value.Aws;

    public async Task<CloudAnswer<AwsSession>> AssumeAsync(Trigger trigger, PipelineStepOrigin step, RouteDefinition route, AwsRoute aws, CancellationToken cancellationToken)
    {
        var region = aws.Region ?? Settings.Region;
        var sessionName = AwsRequestRules.SessionName(trigger.Repository.FullName, step.BuildNumber);
        var problems = AwsRequestRules.Check(aws, $"route {route.Name}: credentials.aws").ToList();
        if (!AwsRequestRules.IsSessionName(sessionName))
        {
            problems.Add($"session name '{sessionName}' is not 2–64 characters of [\\w+=,.@-]");
        }

        if (problems.Count > 0)
        {
            return CloudAnswer<AwsSession>.Refusal($"Bridge did not ask AWS for role {aws.RoleArn}: {string.Join("; ", problems)}");
        }

        var request = new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = aws.RoleArn,
            RoleSessionName = sessionName,
            WebIdentityToken = step.StepToken,
            DurationSeconds = aws.DurationSeconds,
            Policy = aws.SessionPolicy,
            PolicyArns = aws.PolicyArns.Count == 0 ? null : [.. aws.PolicyArns.Select(a => new PolicyDescriptorType { Arn = a })],
        };
        var client = clients.GetOrAdd(region, NewClient);
        var attempts = 0;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(StsRetry.Route, route.Name);
        context.Properties.Set(StsRetry.RoleArn, aws.RoleArn);
        try
        {
            var response = await retry.ExecuteAsync(
                async attempt =>
                {
                    attempts++;
                    return await client.AssumeRoleWithWebIdentityAsync(request, attempt.CancellationToken);
                },
                context);
            var credentials = response.Credentials;
            logger.LogInformation(
                "Route {Route}: assumed AWS role {RoleArn} as {AssumedRoleArn} until {Expiration} (STS request {RequestId}, attempt {Attempt})",
                route.Name, aws.RoleArn, response.AssumedRoleUser?.Arn, credentials.Expiration, response.ResponseMetadata?.RequestId, attempts);
            return CloudAnswer<AwsSession>.Granted(new AwsSession(
                credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken,
                new DateTimeOffset(DateTime.SpecifyKind(credentials.Expiration ?? time.GetUtcNow().UtcDateTime, DateTimeKind.Utc)), region,
                response.AssumedRoleUser?.Arn ?? aws.RoleArn));
        }
        catch (AmazonServiceException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var code = StsRetry.Code(ex);
            logger.LogWarning(
                "Route {Route}: AWS refused role {RoleArn} ({ErrorCode}, HTTP {StatusCode}, STS request {RequestId}) after {Attempt} attempt(s)",
                route.Name, aws.RoleArn, code, (int)ex.StatusCode, ex.RequestId, attempts);
            if (StsRetry.TransientReason(ex, attempts) is not null)
            {
                throw new UpstreamUnavailableException("aws-sts", $"AWS STS stayed unavailable for role {aws.RoleArn} ({code}) after {attempts} attempts");
            }

            return CloudAnswer<AwsSession>.Refusal($"AWS refused role {aws.RoleArn} for this repository ({code})");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && StsRetry.TransientReason(ex, attempts) is { } why)
        {
            throw new UpstreamUnavailableException("aws-sts", $"AWS STS could not be reached for role {aws.RoleArn} ({why}) after {attempts} attempts");
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public void Dispose()
    {
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }
    }

    private AmazonSecurityTokenServiceClient NewClient(string region)
    {
        var config = new AmazonSecurityTokenServiceConfig
        {
            MaxErrorRetry = 0,
            Timeout = Settings.AttemptTimeout,
        };
        if (Settings.ServiceUrl is { } url)
        {
            config.ServiceURL = url;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }

        return new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), config);
    }
}
