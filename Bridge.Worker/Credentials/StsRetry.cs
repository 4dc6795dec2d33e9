using Amazon.Runtime;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Bridge.Worker.Credentials;

/// <summary>
/// Bridge's retry policy around one STS call, as a Polly pipeline: a time limit per attempt, and jittered exponential
/// retries of IDPCommunicationError, throttling, 5xx, network errors and timeouts (InvalidIdentityToken once more);
/// everything else fails at once. Time comes from the injected clock and jitter from <c>randomizer</c> (a number in
/// [0, 1), Polly's <see cref="RetryStrategyOptions.Randomizer"/>), so tests can fix both.
/// </summary>
internal static class StsRetry
{
    /// <summary>The route's name, for the retry log line.</summary>
    public static readonly ResiliencePropertyKey<string> Route = new("bridge.route");

    /// <summary>The role asked for, for the retry log line.</summary>
    public static readonly ResiliencePropertyKey<string> RoleArn = new("bridge.role-arn");

    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "IDPCommunicationError", "Throttling", "ThrottlingException", "RequestLimitExceeded", "InternalFailure", "ServiceUnavailable",
    };

    public static ResiliencePipeline Build(AwsCredentialsOptions settings, TimeProvider time, Func<double>? randomizer, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = new ResiliencePipelineBuilder { Name = "aws-sts", TimeProvider = time };
        if (settings.MaxAttempts > 1)
        {
            var retry = new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } ex && !args.Context.CancellationToken.IsCancellationRequested
                    && TransientReason(ex, args.AttemptNumber + 1) is not null),
                MaxRetryAttempts = settings.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = settings.MaxRetryDelay,
                OnRetry = args =>
                {
                    logger.LogInformation(
                        "Route {Route}: STS answered {ErrorCode} for role {RoleArn}; attempt {Attempt} of {MaxAttempts}, next in {Delay}",
                        args.Context.Properties.GetValue(Route, "?"), TransientReason(args.Outcome.Exception!, args.AttemptNumber + 1),
                        args.Context.Properties.GetValue(RoleArn, "?"), args.AttemptNumber + 1, settings.MaxAttempts, args.RetryDelay);
                    return default;
                },
            };
            if (randomizer is not null)
            {
                retry.Randomizer = randomizer;
            }

            builder.AddRetry(retry);
        }

        return builder.AddTimeout(settings.AttemptTimeout).Build();
    }

    /// <summary>STS's error code, or the HTTP status when it sent none.</summary>
    public static string Code(AmazonServiceException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.ErrorCode ?? ((int)ex.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Why attempt <paramref name="attempt"/> (1-based) is worth another, or null when it is not.</summary>
    public static string? TransientReason(Exception ex, int attempt) => ex switch
    {
        AmazonServiceException service => Code(service) is var code
            && (TransientCodes.Contains(code) || (int)service.StatusCode >= 500 || (code == "InvalidIdentityToken" && attempt < 2))
                ? code
                : null,
        TimeoutRejectedException or OperationCanceledException => "timeout",
        HttpRequestException or AmazonClientException or IOException => ex.GetType().Name,
        _ => null,
    };
}
