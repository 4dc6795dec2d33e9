namespace Bridge.Worker.Correlation;

/// <summary>
/// When each run followed on the event stream started (its first Running event), so that its final status can say
/// how long it ran without reading the run. Holds the last <c>capacity</c> runs.
/// </summary>
internal sealed class RunStarts(int capacity)
{
    private readonly Dictionary<Guid, DateTimeOffset> _started = [];
    private readonly Queue<Guid> _order = new();
    private readonly Lock _gate = new();

    /// <summary>Remembers the run's start unless one is known (a retried run keeps its first).</summary>
    public void Started(Guid runId, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (!_started.TryAdd(runId, at))
            {
                return;
            }

            _order.Enqueue(runId);
            if (_order.Count > capacity)
            {
                _started.Remove(_order.Dequeue());
            }
        }
    }

    public DateTimeOffset? Of(Guid runId)
    {
        lock (_gate)
        {
            return _started.TryGetValue(runId, out var at) ? at : null;
        }
    }
}
