using System.Diagnostics.Metrics;

namespace Bridge.Worker.Observability;

/// <summary>Bridge's counters, on the meter <c>Bridge</c>.</summary>
internal sealed class BridgeMetrics
{
    public const string MeterName = "Bridge";

    private readonly Counter<long> _events;
    private readonly Counter<long> _flowRuns;
    private readonly Counter<long> _statuses;

    public BridgeMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _events = meter.CreateCounter<long>("bridge.events", description: "Events taken from the queue, by outcome");
        _flowRuns = meter.CreateCounter<long>("bridge.flow_runs", description: "Flow runs requested, by route and whether Prefect created or found them");
        _statuses = meter.CreateCounter<long>("bridge.statuses", description: "Build statuses posted, by state");
    }

    public void Event(string outcome) => _events.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void FlowRun(string route, bool created) => _flowRuns.Add(
        1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("result", created ? "created" : "existing"));

    public void Status(string state) => _statuses.Add(1, new KeyValuePair<string, object?>("state", state));
}
