namespace Bridge.Worker.Correlation;

/// <summary>The last N ids seen, to drop events delivered twice (backfill after a reconnect overlaps the live stream).</summary>
internal sealed class RecentIds(int capacity)
{
    private readonly HashSet<Guid> _ids = [];
    private readonly Queue<Guid> _order = new();
    private readonly Lock _gate = new();

    /// <summary>True when the id is new (and now remembered); false when it was seen.</summary>
    public bool Add(Guid id)
    {
        lock (_gate)
        {
            if (!_ids.Add(id))
            {
                return false;
            }

            _order.Enqueue(id);
            if (_order.Count > capacity)
            {
                _ids.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}
