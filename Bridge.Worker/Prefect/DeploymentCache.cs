using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Prefect;

/// <summary>Deployments by name, each kept for <c>Bridge:Prefect:DeploymentCacheTtl</c>.</summary>
internal sealed class DeploymentCache(TimeProvider time, IOptions<PrefectOptions> options)
{
    private readonly ConcurrentDictionary<string, (PrefectDeployment Deployment, DateTimeOffset Expires)> _entries = new();

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
