using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// The events the Prefect emulator emitted (<c>prefect.flow-run.{StateName}</c> on every state a run enters), kept
/// for backfill, and handed to every open <c>/events/out</c> subscriber as they happen.
/// </summary>
internal sealed class PrefectEventLog
{
    private readonly Lock gate = new();
    private readonly List<JsonObject> events = [];
    private readonly Dictionary<Guid, Guid> lastEventOfRun = [];

    public event Action<JsonObject>? Emitted;

    public JsonObject Append(FlowRunRecord run, DeploymentRecord? deployment, FlowRunStateRecord? previous)
    {
        JsonObject item;
        lock (gate)
        {
            var id = Guid.NewGuid();
            var follows = lastEventOfRun.TryGetValue(run.Id, out var last) ? last : (Guid?)null;
            item = PrefectEvents.StateChange(id, run, deployment, previous, follows);
            lastEventOfRun[run.Id] = id;
            events.Add(item);
        }

        Emitted?.Invoke((JsonObject)item.DeepClone());
        return (JsonObject)item.DeepClone();
    }

    public IReadOnlyList<JsonObject> All()
    {
        lock (gate)
        {
            return [.. events.Select(e => (JsonObject)e.DeepClone())];
        }
    }
}
