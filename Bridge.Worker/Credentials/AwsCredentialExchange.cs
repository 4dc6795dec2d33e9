using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Bridge.Worker.Routing;
using Bridge.Worker.Triggers;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Credentials;

/// <summary>
/// STS AssumeRoleWithWebIdentity with the step token, per event and route. The request is checked before it is sent
/// (the SDK sends whatever it is given), the SDK's own retries are off (it would retry InvalidIdentityToken), and this
/// class retries IDPCommunicationError, throttling, 5xx and network errors with jittered back-off; AccessDenied,
/// ExpiredToken and policy errors fail at once. One client per region; the client keeps no per-call state.
/// </summary>
internal sealed class AwsCredentialExchange(IOptions<CredentialsOptions> options, TimeProvider time, ILogger<AwsCredentialExchange> logger) : IDisposable
{
    private static readonly HashSet<string> Transient = new(StringComparer.Ordinal)
    {
        "IDPCommunicationError", "Throttling", "ThrottlingException", "RequestLimitExceeded", "InternalFailure", "ServiceUnavailable",
    };

    private readonly ConcurrentDictionary<string, AmazonSecurityTokenServiceClient> clients = new(StringComparer.Ordinal);

    private AwsCredentialsOptions Settings => options.Value.Aws;

    public async Task<AwsSession> AssumeAsync(Trigger trigger, PipelineStepOrigin step, RouteDefinition route, AwsRoute aws, CancellationToken cancellationToken)
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
            throw new CredentialsRefusedException($"Bridge did not ask AWS for role {aws.RoleArn}: {string.Join("; ", problems)}", "InvalidRequest");
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
        for (var attempt = 1; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Settings.AttemptTimeout);
            string why;
            try
            {
                var response = await client.AssumeRoleWithWebIdentityAsync(request, timeout.Token);
                var credentials = response.Credentials;
                logger.LogInformation(
                    "Route {Route}: assumed AWS role {RoleArn} as {AssumedRoleArn} until {Expiration} (STS request {RequestId}, attempt {Attempt})",
                    route.Name, aws.RoleArn, response.AssumedRoleUser?.Arn, credentials.Expiration, response.ResponseMetadata?.RequestId, attempt);
                return new AwsSession(
                    credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken,
                    new DateTimeOffset(DateTime.SpecifyKind(credentials.Expiration ?? time.GetUtcNow().UtcDateTime, DateTimeKind.Utc)), region,
                    response.AssumedRoleUser?.Arn ?? aws.RoleArn);
            }
            catch (AmazonServiceException ex) when (!cancellationToken.IsCancellationRequested)
            {
                var code = ex.ErrorCode ?? ((int)ex.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var retryable = Transient.Contains(code) || (int)ex.StatusCode >= 500
                    || (code == "InvalidIdentityToken" && attempt < 2);
                if (!retryable || attempt >= Settings.MaxAttempts)
                {
                    logger.LogWarning(
                        "Route {Route}: AWS refused role {RoleArn} ({ErrorCode}, HTTP {StatusCode}, STS request {RequestId}) after {Attempt} attempt(s)",
                        route.Name, aws.RoleArn, code, (int)ex.StatusCode, ex.RequestId, attempt);
                    if (retryable)
                    {
                        throw new UpstreamUnavailableException("aws-sts", $"AWS STS stayed unavailable for role {aws.RoleArn} ({code}) after {attempt} attempts");
                    }

                    throw new CredentialsRefusedException($"AWS refused role {aws.RoleArn} for this repository ({code})", code);
                }

                why = code;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested
                && ex is HttpRequestException or AmazonClientException or OperationCanceledException or IOException)
            {
                why = ex is OperationCanceledException ? "timeout" : ex.GetType().Name;
                if (attempt >= Settings.MaxAttempts)
                {
                    throw new UpstreamUnavailableException("aws-sts", $"AWS STS could not be reached for role {aws.RoleArn} ({why}) after {attempt} attempts");
                }
            }

            var delay = Backoff(attempt);
            logger.LogInformation(
                "Route {Route}: STS answered {ErrorCode} for role {RoleArn}; attempt {Attempt} of {MaxAttempts}, next in {Delay}",
                route.Name, why, aws.RoleArn, attempt, Settings.MaxAttempts, delay);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    public void Dispose()
    {
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(Settings.MaxRetryDelay.TotalMilliseconds, Settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(ceiling / 2 + (Random.Shared.NextDouble() * ceiling / 2));
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
