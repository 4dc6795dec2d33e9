using System.Diagnostics.Metrics;

namespace Bridge.Worker.Observability;

/// <summary>Bridge's counters, on the meter <c>Bridge</c>.</summary>
internal sealed class BridgeMetrics
{
    public const string MeterName = "Bridge";

    private readonly Counter<long> _events;
    private readonly Counter<long> _flowRuns;
    private readonly Counter<long> _statuses;
    private readonly Counter<long> _rejections;
    private readonly Counter<long> _unchanged;
    private readonly Counter<long> _polls;
    private readonly Counter<long> _streamEvents;
    private readonly Counter<long> _cancelled;
    private readonly Counter<long> _coalesced;
    private readonly Counter<long> _budgetExhausted;
    private readonly Histogram<double> _budgetWaits;
    private readonly Histogram<double> _toInProgress;
    private readonly Histogram<double> _toFinal;
    private readonly TimeProvider _time;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Func<int> Used, int Limit)> _budgets = new(StringComparer.Ordinal);

    /// <summary>Seconds, from 5 ms to 10 minutes: a status lands within milliseconds, or after retries and budget waits.</summary>
    private static readonly InstrumentAdvice<double> Latency = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    };

    public BridgeMetrics(IMeterFactory meterFactory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _time = time ?? TimeProvider.System;
        var meter = meterFactory.Create(MeterName);
        _events = meter.CreateCounter<long>("bridge.events", description: "Events taken from the queue, by outcome");
        _flowRuns = meter.CreateCounter<long>("bridge.flow_runs", description: "Flow runs requested, by route and whether Prefect created or found them");
        _statuses = meter.CreateCounter<long>("bridge.statuses", description: "Build statuses posted, by state");
        _rejections = meter.CreateCounter<long>("bridge.events.rejected", description: "Events rejected by verification, by reason");
        _unchanged = meter.CreateCounter<long>("bridge.statuses.unchanged", description: "Status posts skipped because nothing changed, by path");
        _polls = meter.CreateCounter<long>("bridge.polls", description: "Safety-net polls for finished flow runs, by outcome");
        _streamEvents = meter.CreateCounter<long>("bridge.stream.events", description: "Flow-run events taken from Prefect's event stream, by kind");
        _cancelled = meter.CreateCounter<long>("bridge.flow_runs.superseded", description: "Flow runs cancelled because a newer merge superseded them, by route");
        _coalesced = meter.CreateCounter<long>("bridge.statuses.coalesced", description: "Status posts dropped because a newer state for the same commit and key came while they waited, by path");
        _budgetExhausted = meter.CreateCounter<long>("bridge.upstream.budget.exhausted", description: "Requests given up because the upstream's budget would have made them wait too long, by upstream");
        _budgetWaits = meter.CreateHistogram<double>("bridge.upstream.budget.wait", unit: "s", description: "How long requests waited for the upstream's budget (only those that waited), by upstream");
        _toInProgress = meter.CreateHistogram(
            "bridge.status.inprogress.delay", unit: "s", description: "From an event's publication to its INPROGRESS status posted on the commit", advice: Latency);
        _toFinal = meter.CreateHistogram(
            "bridge.status.final.delay", unit: "s", description: "From a flow run's end (Prefect's end time) to its final status posted on the commit, by path", advice: Latency);
        meter.CreateObservableGauge(
            "bridge.upstream.budget.used", () => _budgets.Select(b => new Measurement<int>(b.Value.Used(), Upstream(b.Key))), description: "Requests to the upstream in its budget's current window");
        meter.CreateObservableGauge(
            "bridge.upstream.budget.limit", () => _budgets.Select(b => new Measurement<int>(b.Value.Limit, Upstream(b.Key))), description: "The upstream's budget: requests allowed per window (0: none)");
    }

    public void Event(string outcome) => _events.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void FlowRun(string route, bool created) => _flowRuns.Add(
        1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("result", created ? "created" : "existing"));

    public void Rejected(string reason) => _rejections.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Status(string state) => _statuses.Add(1, new KeyValuePair<string, object?>("state", state));

    public void Status(string state, string path) => _statuses.Add(
        1, new KeyValuePair<string, object?>("state", state), new KeyValuePair<string, object?>("path", path));

    /// <summary>An INPROGRESS was posted for an event published at <paramref name="sentAt"/>.</summary>
    public void InProgressPosted(DateTimeOffset sentAt) => _toInProgress.Record(Seconds(sentAt));

    /// <summary>A final status was posted for a run that ended at <paramref name="endedAt"/>.</summary>
    public void FinalPosted(DateTimeOffset endedAt, string path) => _toFinal.Record(Seconds(endedAt), new KeyValuePair<string, object?>("path", path));

    private double Seconds(DateTimeOffset since) => Math.Max(0, (_time.GetUtcNow() - since).TotalSeconds);

    public void Unchanged(string path) => _unchanged.Add(1, new KeyValuePair<string, object?>("path", path));

    public void Poll(string outcome) => _polls.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void StreamEvent(string kind) => _streamEvents.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Coalesced(string path) => _coalesced.Add(1, new KeyValuePair<string, object?>("path", path));

    public void BudgetWait(string upstream, TimeSpan waited) => _budgetWaits.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("upstream", upstream));

    public void BudgetExhausted(string upstream) => _budgetExhausted.Add(1, new KeyValuePair<string, object?>("upstream", upstream));

    /// <summary>Reports the budget's use (requests in its current window) and its limit on the two gauges.</summary>
    public void ObserveBudget(string upstream, Func<int> used, int limit) => _budgets[upstream] = (used, limit);

    private static KeyValuePair<string, object?> Upstream(string upstream) => new("upstream", upstream);

    public void Superseded(string route) => _cancelled.Add(1, new KeyValuePair<string, object?>("route", route));
}
