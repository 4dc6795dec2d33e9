using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Bridge.Worker.Http;

/// <summary>
/// Outside the resilience handler: a request that still found no answer after the retries (the connection refused or
/// cut, every attempt timed out, the circuit open) ends as <see cref="UpstreamUnavailableException"/>, as a 5xx after
/// retries does, so the consumer retries the message and, past its retries, dead-letters it as
/// <c>{upstream}-unavailable</c> rather than <c>unexpected</c>. The message names the upstream and the failure, never the
/// request's headers.
/// </summary>
internal sealed class UnreachableUpstreamHandler(string upstream) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when ((ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException) && !cancellationToken.IsCancellationRequested)
        {
            var why = ex switch
            {
                BrokenCircuitException => "its circuit is open after repeated failures",
                TimeoutRejectedException => "every attempt timed out",
                _ => $"no answer: {ex.Message}",
            };
            throw new UpstreamUnavailableException(upstream, $"{upstream} could not be reached for {request.Method} {request.RequestUri?.AbsolutePath} after retries ({why})", ex);
        }
    }
}
