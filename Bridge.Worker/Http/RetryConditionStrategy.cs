using Polly;

namespace Bridge.Worker.Http;

/// <summary>
/// Placed inside the retry, so it runs for every attempt after the retry's back-off delay: before each retried attempt
/// (not the first) it asks the caller's <see cref="RetryCondition"/>, and when that no longer holds it ends the request
/// with <see cref="UpstreamUnavailableException"/> instead of sending it. Asked there rather than in the retry's
/// <c>ShouldHandle</c> (which runs before the delay), a condition that lapses during the delay still stops the retry.
/// The outcome is not transient, so neither the retry nor the circuit breaker counts it.
/// </summary>
internal sealed class RetryConditionStrategy(string upstream) : ResilienceStrategy<HttpResponseMessage>
{
    private static readonly ResiliencePropertyKey<bool> Attempted = new("Bridge.RetryCondition.Attempted");

    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback, ResilienceContext context, TState state)
    {
        if (context.Properties.TryGetValue(Attempted, out _) && !await RetryCondition.HoldsAsync(context.CancellationToken))
        {
            return Outcome.FromException<HttpResponseMessage>(
                new UpstreamUnavailableException(upstream, $"{upstream}: the request was not retried, its purpose lapsed during the back-off"));
        }

        context.Properties.Set(Attempted, true);
        return await callback(context, state);
    }
}
