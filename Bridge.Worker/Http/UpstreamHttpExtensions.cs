using Bridge.Worker.Observability;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;

namespace Bridge.Worker.Http;

internal static class UpstreamHttpExtensions
{
    /// <summary>
    /// Adds the upstream's resilience handler: jittered exponential retries of transient outcomes (network errors,
    /// attempt timeouts, 408, 429, 5xx) that honour <c>Retry-After</c> up to <see cref="UpstreamOptions.MaxRetryDelay"/>,
    /// a circuit breaker, and a time limit per attempt. The library keeps one pipeline per client, so the circuit
    /// breaker sees every request even though the factory recycles handlers. A retry goes out only while the caller's
    /// <see cref="RetryCondition"/> holds, asked after the back-off delay (<see cref="RetryConditionStrategy"/>). Each attempt takes a slot of the upstream's
    /// <see cref="RequestBudget"/> (keyed by <paramref name="upstream"/>; no budget unless its options set one), waiting
    /// when it is spent. A request still unanswered after the retries ends as <see cref="UpstreamUnavailableException"/>
    /// (<see cref="UnreachableUpstreamHandler"/>). Each attempt is logged by
    /// <see cref="UpstreamHttpLogger"/> instead of the factory's loggers, which would log the credentials.
    /// </summary>
    public static IHttpClientBuilder AddUpstreamResilience<TOptions>(this IHttpClientBuilder builder, string upstream)
        where TOptions : UpstreamOptions
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<BridgeMetrics>();
        builder.Services.TryAddKeyedSingleton(upstream, (sp, _) =>
        {
            var options = sp.GetRequiredService<IOptions<TOptions>>().Value;
            return new RequestBudget(upstream, options.RequestBudget, options.BudgetWindow, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<BridgeMetrics>());
        });
        builder.Services.Configure<TelemetryOptions>(telemetry => telemetry.SeverityProvider = QuietRetries);
        builder.AddHttpMessageHandler(() => new UnreachableUpstreamHandler(upstream));
        builder.AddResilienceHandler(upstream, (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value;
            var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
            pipeline.TimeProvider = time;
            if (options.MaxRetries > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    ShouldHandle = args => ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome) && RetryCondition.AllowsRetries),
                    MaxRetryAttempts = options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryBaseDelay,
                    MaxDelay = options.MaxRetryDelay,
                    DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.MaxRetryDelay, time)),
                });
                pipeline.AddStrategy(_ => new RetryConditionStrategy(upstream));
            }

            pipeline
                .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.8,
                    MinimumThroughput = 20,
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    BreakDuration = TimeSpan.FromSeconds(15),
                })
                .AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.AttemptTimeout });
        });
        return builder
            .AddHttpMessageHandler(sp => new RequestBudgetHandler(sp.GetRequiredKeyedService<RequestBudget>(upstream)))
            .RemoveAllLoggers()
            .AddLogger(sp => new UpstreamHttpLogger(
                sp.GetRequiredService<ILoggerFactory>().CreateLogger($"{typeof(UpstreamHttpLogger).Namespace}.{upstream}")));
    }

    /// <summary>
    /// Tells <see cref="UpstreamAccess"/> each attempt's status, so <c>/health/ready</c> knows whether the upstream
    /// accepts Bridge's credentials (<see cref="UpstreamCredentialsHealthCheck"/>).
    /// </summary>
    public static IHttpClientBuilder AddCredentialWatch(this IHttpClientBuilder builder, UpstreamCredential credential)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<UpstreamAccess>();
        return builder.AddHttpMessageHandler(sp => new UpstreamAccessHandler(sp.GetRequiredService<UpstreamAccess>(), credential));
    }

    /// <summary>
    /// Polly's telemetry logs a retried attempt as a warning and the last one as an error; for Bridge they are
    /// information: the caller logs the failure that matters (and the broker retries it). Circuit and timeout events
    /// keep their severity.
    /// </summary>
    private static ResilienceEventSeverity QuietRetries(SeverityProviderArguments args) => args.Event.EventName switch
    {
        "OnRetry" or "ExecutionAttempt" when args.Event.Severity > ResilienceEventSeverity.Information => ResilienceEventSeverity.Information,
        _ => args.Event.Severity,
    };

    /// <summary>
    /// The wait <c>Retry-After</c> asks for, at most <paramref name="max"/>; null (the back-off) without one. The
    /// library's own reading (<see cref="HttpRetryStrategyOptions.ShouldRetryAfterHeader"/>) neither caps the wait nor
    /// takes the injected clock for a date.
    /// </summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan max, TimeProvider time)
    {
        var header = response?.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        return delay is null ? null : TimeSpan.FromTicks(Math.Clamp(delay.Value.Ticks, 0, max.Ticks));
    }
}
