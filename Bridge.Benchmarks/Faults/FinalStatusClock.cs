using Bridge.Sandbox.Emulators;

namespace Bridge.Benchmarks.Faults;

/// <summary>When each accepted final status (SUCCESSFUL, FAILED, STOPPED) reached the Bitbucket emulator, as it happens.</summary>
internal sealed class FinalStatusClock : IDisposable
{
    readonly BitbucketEmulator bitbucket;
    readonly Lock gate = new();
    readonly List<DateTimeOffset> finals = [];

    public FinalStatusClock(BitbucketEmulator bitbucket)
    {
        this.bitbucket = bitbucket;
        bitbucket.StatusPosted += OnPosted;
    }

    /// <summary>The first final status at or after <paramref name="since"/>, or null.</summary>
    public DateTimeOffset? FirstSince(DateTimeOffset since)
    {
        lock (gate)
        {
            return finals.Where(t => t >= since).Select(t => (DateTimeOffset?)t).FirstOrDefault();
        }
    }

    public void Dispose() => bitbucket.StatusPosted -= OnPosted;

    void OnPosted(CommitStatusRecord status)
    {
        if (status.State is "SUCCESSFUL" or "FAILED" or "STOPPED")
        {
            var now = DateTimeOffset.UtcNow;
            lock (gate)
            {
                finals.Add(now);
            }
        }
    }
}
