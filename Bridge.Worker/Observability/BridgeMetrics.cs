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

    public BridgeMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _events = meter.CreateCounter<long>("bridge.events", description: "Events taken from the queue, by outcome");
        _flowRuns = meter.CreateCounter<long>("bridge.flow_runs", description: "Flow runs requested, by route and whether Prefect created or found them");
        _statuses = meter.CreateCounter<long>("bridge.statuses", description: "Build statuses posted, by state");
        _rejections = meter.CreateCounter<long>("bridge.events.rejected", description: "Events rejected by verification, by reason");
        _unchanged = meter.CreateCounter<long>("bridge.statuses.unchanged", description: "Status posts skipped because nothing changed, by path");
        _polls = meter.CreateCounter<long>("bridge.polls", description: "Safety-net polls for finished flow runs, by outcome");
        _streamEvents = meter.CreateCounter<long>("bridge.stream.events", description: "Flow-run events taken from Prefect's event stream, by kind");
        _cancelled = meter.CreateCounter<long>("bridge.flow_runs.superseded", description: "Flow runs cancelled because a newer merge superseded them, by route");
    }

    public void Event(string outcome) => _events.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void FlowRun(string route, bool created) => _flowRuns.Add(
        1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("result", created ? "created" : "existing"));

    public void Rejected(string reason) => _rejections.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Status(string state) => _statuses.Add(1, new KeyValuePair<string, object?>("state", state));

    public void Status(string state, string path) => _statuses.Add(
        1, new KeyValuePair<string, object?>("state", state), new KeyValuePair<string, object?>("path", path));

    public void Unchanged(string path) => _unchanged.Add(1, new KeyValuePair<string, object?>("path", path));

    public void Poll(string outcome) => _polls.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void StreamEvent(string kind) => _streamEvents.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Superseded(string route) => _cancelled.Add(1, new KeyValuePair<string, object?>("route", route));
}
