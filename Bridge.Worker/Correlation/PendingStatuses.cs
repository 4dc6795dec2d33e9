namespace Bridge.Worker.Correlation;

/// <summary>
/// The newest status waiting to be posted per (commit, key), so posts that wait for Bitbucket's budget coalesce: a
/// newer state supersedes an older one still waiting (whose post is then dropped), except that a waiting final status
/// is never superseded by a state that is not final.
/// </summary>
internal sealed class PendingStatuses
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Commit, string Key), Claim> _newest = [];

    public Claim Enter((string Commit, string Key) key, bool isFinal)
    {
        var claim = new Claim(this, key, isFinal);
        lock (_gate)
        {
            if (_newest.TryGetValue(key, out var older) && older.IsFinal && !isFinal)
            {
                claim.Supersede();
                return claim;
            }

            older?.Supersede();
            _newest[key] = claim;
        }

        return claim;
    }

    private void Leave(Claim claim)
    {
        lock (_gate)
        {
            if (_newest.TryGetValue(claim.Key, out var current) && ReferenceEquals(current, claim))
            {
                _newest.Remove(claim.Key);
            }
        }
    }

    /// <summary>One post's place; <see cref="Superseded"/> is cancelled when a newer state takes it.</summary>
    public sealed class Claim(PendingStatuses owner, (string Commit, string Key) key, bool isFinal) : IDisposable
    {
        private readonly CancellationTokenSource _superseded = new();

        public (string Commit, string Key) Key { get; } = key;

        public bool IsFinal { get; } = isFinal;

        public CancellationToken Superseded => _superseded.Token;

        public bool IsSuperseded => _superseded.IsCancellationRequested;

        public void Supersede() => _superseded.Cancel();

        public void Dispose()
        {
            owner.Leave(this);
            _superseded.Dispose();
        }
    }
}
