using System.Collections.Concurrent;

namespace Bridge.Worker.Correlation;

/// <summary>
/// The last status this worker posted per (commit, key), and one lock per stripe of keys, shared by every path that
/// reports (dispatch, stream, callback, poll, repair), so that two of them never post the same change twice.
/// </summary>
internal sealed class StatusLedger
{
    private const int MaxRemembered = 100_000;
    private readonly ConcurrentDictionary<(string Commit, string Key), LedgerEntry> _last = new();
    private int _remembered;
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 32).Select(_ => new SemaphoreSlim(1, 1))];

    public SemaphoreSlim LockFor((string Commit, string Key) key) => _stripes[(key.GetHashCode() & int.MaxValue) % _stripes.Length];

    public LedgerEntry? Last((string Commit, string Key) key) => _last.TryGetValue(key, out var posted) ? posted : null;

    /// <summary>
    /// Remembers <paramref name="posted"/>; past <see cref="MaxRemembered"/> keys the memory starts again. The keys are
    /// counted here, not by the dictionary's <c>Count</c>, which takes every one of its locks on each call.
    /// </summary>
    public void Remember((string Commit, string Key) key, LedgerEntry posted)
    {
        if (!_last.TryAdd(key, posted))
        {
            _last[key] = posted;
            return;
        }

        if (Interlocked.Increment(ref _remembered) > MaxRemembered)
        {
            Interlocked.Exchange(ref _remembered, 0);
            _last.Clear();
            _last[key] = posted;
        }
    }
}
