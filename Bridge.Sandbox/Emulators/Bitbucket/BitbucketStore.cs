namespace Bridge.Sandbox.Emulators;

/// <summary>The Bitbucket emulator's statuses (one per workspace, repository, commit and key) and recorded POSTs. Thread-safe.</summary>
internal sealed class BitbucketStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Workspace, string Repository, string Commit, string Key), CommitStatusRecord> statuses = [];
    private readonly List<(string Workspace, string Repository, string Commit, string Key)> order = [];
    private readonly List<StatusPostCall> posts = [];

    public ChangeSignal Changes { get; } = new();

    public event Action<CommitStatusRecord>? StatusPosted;

    /// <summary>Creates the status, or overwrites the one with the same key (keeping its uuid and created_on).</summary>
    public CommitStatusRecord Upsert(CommitStatusRecord status)
    {
        var id = (status.Workspace, status.Repository, status.Commit, status.Key);
        CommitStatusRecord stored;
        lock (gate)
        {
            if (statuses.TryGetValue(id, out var existing))
            {
                stored = status with { Uuid = existing.Uuid, CreatedOn = existing.CreatedOn };
            }
            else
            {
                stored = status;
                order.Add(id);
            }

            statuses[id] = stored;
        }

        StatusPosted?.Invoke(stored);
        Changes.Notify();
        return stored;
    }

    public CommitStatusRecord? Find(string workspace, string repository, string commit, string key)
    {
        lock (gate)
        {
            return statuses.GetValueOrDefault((workspace, repository, commit, key));
        }
    }

    /// <summary>Every status, in order of first creation.</summary>
    public IReadOnlyList<CommitStatusRecord> All()
    {
        lock (gate)
        {
            return order.Select(id => statuses[id]).ToList();
        }
    }

    public void RecordPost(StatusPostCall call)
    {
        lock (gate)
        {
            posts.Add(call with { Body = call.Body?.DeepClone().AsObject() });
        }

        Changes.Notify();
    }

    public IReadOnlyList<StatusPostCall> Posts()
    {
        lock (gate)
        {
            return posts.Select(p => p with { Body = p.Body?.DeepClone().AsObject() }).ToList();
        }
    }
}
