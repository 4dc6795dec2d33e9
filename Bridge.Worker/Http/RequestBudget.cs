using Bridge.Worker.Observability;

namespace Bridge.Worker.Http;

/// <summary>
/// At most <c>limit</c> requests to one upstream in any rolling <c>window</c> (Bitbucket counts a rolling hour per
/// credential; Prefect Cloud a minute per account), shared by every path of this process. A request over the budget
/// waits for the oldest one in the window to age out; waiters go in arrival order. A limit of 0 means no budget.
/// </summary>
internal sealed class RequestBudget
{
    private static readonly AsyncLocal<StrongBox?> PrepaidSlot = new();

    private readonly int _limit;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly BridgeMetrics _metrics;
    private readonly Queue<long> _sent = new();
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Lock _gate = new();
    private int _waiting;

    public RequestBudget(string upstream, int limit, TimeSpan window, TimeProvider time, BridgeMetrics metrics)
    {
        (Upstream, _limit, _window, _time, _metrics) = (upstream, limit, window, time, metrics);
        metrics.ObserveBudget(upstream, () => Used, limit);
    }

    public string Upstream { get; }

    /// <summary>Callers inside <see cref="WaitAsync"/> (waiting for their turn or for a slot) right now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Requests allowed per window; 0 for no budget.</summary>
    public int Limit => _limit;

    /// <summary>Requests sent in the current window.</summary>
    public int Used
    {
        get
        {
            lock (_gate)
            {
                Expire(_time.GetTimestamp());
                return _sent.Count;
            }
        }
    }

    /// <summary>
    /// Marks the next request of this async flow as already paid for (by a <see cref="WaitAsync"/> made before a lock was
    /// taken), so the budget handler does not take a second slot for it.
    /// </summary>
    public static void PrepayNext() => PrepaidSlot.Value = new StrongBox { Paid = true };

    /// <summary>Takes a slot, waiting at most <paramref name="maxWait"/> (null: as long as it takes); false when that was not enough.</summary>
    public async ValueTask<bool> WaitAsync(TimeSpan? maxWait, CancellationToken cancellationToken)
    {
        if (_limit <= 0)
        {
            return true;
        }

        var started = _time.GetTimestamp();
        Interlocked.Increment(ref _waiting);
        var counted = true;
        try
        {
            await _turn.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Decrement(ref _waiting);
            throw;
        }

        try
        {
            var waited = false;
            while (true)
            {
                TimeSpan wait;
                lock (_gate)
                {
                    var now = _time.GetTimestamp();
                    Expire(now);
                    if (_sent.Count < _limit)
                    {
                        _sent.Enqueue(now);

                        // No longer waiting from the moment the slot is taken.
                        Interlocked.Decrement(ref _waiting);
                        counted = false;
                        if (waited)
                        {
                            _metrics.BudgetWait(Upstream, _time.GetElapsedTime(started));
                        }

                        return true;
                    }

                    wait = _window - _time.GetElapsedTime(_sent.Peek(), now);
                }

                if (maxWait is { } max && _time.GetElapsedTime(started) + wait > max)
                {
                    _metrics.BudgetExhausted(Upstream);
                    return false;
                }

                waited = true;
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), _time, cancellationToken);
            }
        }
        finally
        {
            _turn.Release();
            if (counted)
            {
                Interlocked.Decrement(ref _waiting);
            }
        }
    }

    /// <summary>A request's slot: the one prepaid in this async flow (<see cref="PrepayNext"/>), else one waited for.</summary>
    public async ValueTask TakeSlotAsync(CancellationToken cancellationToken)
    {
        if (!TakePrepaid())
        {
            await WaitAsync(maxWait: null, cancellationToken);
        }
    }

    private static bool TakePrepaid()
    {
        if (PrepaidSlot.Value is { Paid: true } slot)
        {
            slot.Paid = false;
            return true;
        }

        return false;
    }

    private void Expire(long now)
    {
        while (_sent.Count > 0 && _time.GetElapsedTime(_sent.Peek(), now) >= _window)
        {
            _sent.Dequeue();
        }
    }

    private sealed class StrongBox
    {
        public bool Paid { get; set; }
    }
}

/// <summary>Takes a slot of the upstream's <see cref="RequestBudget"/> for each attempt (unless prepaid).</summary>
internal sealed class RequestBudgetHandler(RequestBudget budget) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await budget.TakeSlotAsync(cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
