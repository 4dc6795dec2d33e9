using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Ingress;

/// <summary>A fixed window of <see cref="IngressOptions.PermitsPerRepository"/> events per repository; no queueing.</summary>
internal sealed class IngressRateLimiter(IOptions<IngressOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(repository =>
        RateLimitPartition.GetFixedWindowLimiter(repository, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.PermitsPerRepository,
            Window = options.Value.RateLimitWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <returns>Whether the repository may submit now; when not, how long to wait (if the limiter knows).</returns>
    public (bool Allowed, TimeSpan? RetryAfter) TryAcquire(string repository)
    {
        using var lease = limiter.AttemptAcquire(repository.ToUpperInvariant());
        if (lease.IsAcquired)
        {
            return (true, null);
        }

        return (false, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null);
    }

    public void Dispose() => limiter.Dispose();
}
