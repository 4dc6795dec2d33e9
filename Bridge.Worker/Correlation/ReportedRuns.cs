namespace Bridge.Worker.Correlation;

/// <summary>
/// The runs whose final status this process posted, or found already on the commit: the "already reported" record
/// that costs no Prefect call. It holds the last <c>capacity</c> runs and knows since when it is whole
/// (<see cref="WholeSince"/>): a run that ended after that was posted by this process if it was posted at all; any
/// other may have been reported by another replica (or by this one before a restart) and is checked on the commit
/// before its final status goes out.
/// </summary>
internal sealed class ReportedRuns(TimeProvider time, int capacity = 100_000)
{
    private readonly HashSet<Guid> _ids = [];
    private readonly Queue<Guid> _order = new();
    private readonly Lock _gate = new();
    private DateTimeOffset _tenureBegan = DateTimeOffset.MaxValue;
    private DateTimeOffset _forgottenAt = DateTimeOffset.MinValue;

    /// <summary>
    /// The later of the current tenure's start (of the <see cref="CorrelatorLease"/>: before it, another replica
    /// correlated) and the moment the oldest remembered run was dropped to make room; <see cref="DateTimeOffset.MaxValue"/>
    /// before the first tenure.
    /// </summary>
    public DateTimeOffset WholeSince
    {
        get
        {
            lock (_gate)
            {
                return _tenureBegan > _forgottenAt ? _tenureBegan : _forgottenAt;
            }
        }
    }

    /// <summary>Called by the lease when this replica starts to correlate.</summary>
    public void TenureBegan(DateTimeOffset at)
    {
        lock (_gate)
        {
            _tenureBegan = at;
        }
    }

    public bool Contains(Guid runId)
    {
        lock (_gate)
        {
            return _ids.Contains(runId);
        }
    }

    public void Add(Guid runId)
    {
        lock (_gate)
        {
            if (!_ids.Add(runId))
            {
                return;
            }

            _order.Enqueue(runId);
            if (_order.Count > capacity)
            {
                _ids.Remove(_order.Dequeue());
                _forgottenAt = time.GetUtcNow();
            }
        }
    }
}
