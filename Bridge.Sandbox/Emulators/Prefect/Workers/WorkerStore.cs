namespace Bridge.Sandbox.Emulators;

/// <summary>The emulator's workers, by work pool. A work pool exists once a deployment names it or a worker joins it.</summary>
internal sealed class WorkerStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Guid> poolIds = new(StringComparer.Ordinal);
    private readonly List<WorkerRecord> workers = [];

    public WorkerRecord Add(string workPoolName, string name, string status, DateTimeOffset heartbeat)
    {
        lock (gate)
        {
            var worker = new WorkerRecord
            {
                Id = Guid.NewGuid(),
                Name = name,
                WorkPoolName = workPoolName,
                WorkPoolId = PoolId(workPoolName),
                Status = status,
                LastHeartbeatTime = heartbeat,
            };
            workers.RemoveAll(w => w.WorkPoolName == workPoolName && w.Name == name);
            workers.Add(worker);
            return worker;
        }
    }

    /// <summary>The pool's workers, or null when no worker ever joined it (the caller also knows the deployments' pools).</summary>
    public IReadOnlyList<WorkerRecord> InPool(string workPoolName)
    {
        lock (gate)
        {
            return [.. workers.Where(w => w.WorkPoolName == workPoolName)];
        }
    }

    public Guid PoolId(string workPoolName)
    {
        lock (gate)
        {
            if (!poolIds.TryGetValue(workPoolName, out var id))
            {
                poolIds[workPoolName] = id = Guid.NewGuid();
            }

            return id;
        }
    }
}
