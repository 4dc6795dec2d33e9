using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Bridge.Worker.Queue;

/// <summary>
/// Start-up's wait for RabbitMQ, before the bus starts: an attempt after 1 s, 2 s, 4 s … (at most 10 s apart) until
/// <c>Bridge:Broker:StartTimeout</c>, each failed attempt one log line (where, why, when the next one is; no stack trace),
/// then <see cref="BrokerUnreachableAtStartException"/>. Without it, the bus's own retries logged each attempt several
/// times with full stack traces.
/// </summary>
internal sealed class BrokerStartupWait(IOptions<BrokerOptions> broker, TimeProvider time, ILogger<BrokerStartupWait> logger)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);
    private const string StartTimeout = $"{BrokerOptions.Section}:StartTimeout";

    public async Task<IConnection> ConnectAsync(ConnectionFactory factory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var options = broker.Value;
        var where = Where(new Uri(options.Url));
        var deadline = time.GetUtcNow() + options.StartTimeout;
        var lastReason = "no attempt finished";
        var attempts = 0;
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<BrokerUnreachableException>().Handle<TimeoutException>(),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = FirstDelay,
                MaxDelay = MaxDelay,
                UseJitter = false,
                OnRetry = retry =>
                {
                    lastReason = Reason(retry.Outcome.Exception!);
                    var next = time.GetUtcNow() + retry.RetryDelay;
                    if (next < deadline)
                    {
                        logger.LogWarning(
                            "RabbitMQ at {BrokerUrl} cannot be reached (attempt {Attempt}: {Reason}); next attempt in {RetryDelay} at {NextAttempt:HH:mm:ss}, start-up gives up at {Deadline:HH:mm:ss} ({Setting})",
                            where, retry.AttemptNumber + 1, lastReason, retry.RetryDelay, next, deadline, StartTimeout);
                    }
                    else
                    {
                        logger.LogWarning(
                            "RabbitMQ at {BrokerUrl} cannot be reached (attempt {Attempt}: {Reason}); no further attempt, start-up gives up at {Deadline:HH:mm:ss} ({Setting})",
                            where, retry.AttemptNumber + 1, lastReason, deadline, StartTimeout);
                    }

                    return default;
                },
            })
            .Build();

        using var timeout = new CancellationTokenSource(options.StartTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    return await factory.CreateConnectionAsync(token);
                },
                linked.Token);
        }
        catch (Exception ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested
            && ex is OperationCanceledException or BrokerUnreachableException or TimeoutException)
        {
            var reason = ex is OperationCanceledException ? lastReason : Reason(ex);
            logger.LogError("RabbitMQ at {BrokerUrl} could not be reached within {StartTimeout} ({Attempts} attempts): {Reason}", where, options.StartTimeout, attempts, reason);
            throw new BrokerUnreachableAtStartException($"{where}: {reason} ({attempts} attempts)");
        }
    }

    /// <summary>Scheme, host, port and virtual host: never the user or the password.</summary>
    private static string Where(Uri url) => $"{url.Scheme}://{url.Host}:{(url.IsDefaultPort || url.Port <= 0 ? (url.Scheme == "amqps" ? 5671 : 5672) : url.Port)}{url.AbsolutePath}";

    /// <summary>The innermost cause ("Connection refused"), which says more than "None of the specified endpoints were reachable".</summary>
    private static string Reason(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner.Message;
    }
}
