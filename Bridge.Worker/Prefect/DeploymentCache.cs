using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Prefect;

/// <summary>
/// Deployments by name, each kept for <c>Bridge:Prefect:DeploymentCacheTtl</c>; concurrent lookups of one name share one
/// request (a worker starting under load would otherwise look a deployment up once per event in flight).
/// </summary>
internal sealed class DeploymentCache(TimeProvider time, IOptions<PrefectOptions> options)
{
    private readonly ConcurrentDictionary<string, (PrefectDeployment Deployment, DateTimeOffset Expires)> _entries = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<PrefectDeployment>>> _lookups = new();

    /// <summary>
    /// The remembered deployment, or the result of <paramref name="lookUp"/> — started once for all callers of the same
    /// key until it ends (it runs without any caller's cancellation; each caller stops waiting on its own).
    /// </summary>
    public async Task<PrefectDeployment> GetOrLookUpAsync(string key, Func<Task<PrefectDeployment>> lookUp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookUp);
        if (TryGet(key, out var known))
        {
            return known;
        }

        var lookup = _lookups.GetOrAdd(key, _ => new Lazy<Task<PrefectDeployment>>(async () =>
        {
            try
            {
                var found = await lookUp();
                Set(key, found);
                return found;
            }
            finally
            {
                _lookups.TryRemove(key, out Lazy<Task<PrefectDeployment>>? _);
            }
        }));
        return await lookup.Value.WaitAsync(cancellationToken);
    }

    public bool TryGet(string key, out PrefectDeployment deployment)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > time.GetUtcNow())
        {
            deployment = entry.Deployment;
            return true;
        }

        deployment = null!;
        return false;
    }

    public void Set(string key, PrefectDeployment deployment) =>
        _entries[key] = (deployment, time.GetUtcNow() + options.Value.DeploymentCacheTtl);

    public void Remove(string key) => _entries.TryRemove(key, out _);
}
