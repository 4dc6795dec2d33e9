using System.Globalization;
using System.Text.Json.Nodes;
using Bridge.Worker.Correlation;
using Bridge.Worker.Dispatch;

namespace Bridge.Worker.Prefect;

/// <summary>A <c>prefect.flow-run.{StateName}</c> event, as much of it as Bridge reads.</summary>
internal sealed record FlowRunEvent(Guid Id, string Name, DateTimeOffset? Occurred, Guid FlowRunId, string? StateType, string? StateName, bool IsBridgeRun)
{
    private const string FlowRunPrefix = "prefect.flow-run.";

    /// <summary>Terminal states, and the unfinished ones worth telling on the commit.</summary>
    public bool IsWorthReading =>
        PrefectStateTypes.IsTerminal(StateType) || StateType == PrefectStateTypes.Paused
        || StateName is "Late" or "AwaitingConcurrencySlot" or "Paused" or "Suspended";

    /// <summary>The event, or null when it is not a flow-run event.</summary>
    public static FlowRunEvent? Parse(JsonObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var name = Text(item["event"]);
        var resource = item["resource"] as JsonObject;
        var resourceId = Text(resource?["prefect.resource.id"]);
        if (name is null || !name.StartsWith(FlowRunPrefix, StringComparison.Ordinal) || resourceId is null
            || !resourceId.StartsWith(FlowRunPrefix, StringComparison.Ordinal)
            || !Guid.TryParse(resourceId[FlowRunPrefix.Length..], out var flowRunId)
            || !Guid.TryParse(Text(item["id"]), out var id))
        {
            return null;
        }

        var occurred = DateTimeOffset.TryParse(Text(item["occurred"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : (DateTimeOffset?)null;
        var bridgeTag = $"prefect.tag.{RunLabels.Tag}";
        var isBridge = item["related"] is JsonArray related
            && related.OfType<JsonObject>().Any(r => Text(r["prefect.resource.id"]) == bridgeTag);
        return new FlowRunEvent(
            id, name, occurred, flowRunId, Text(resource!["prefect.state-type"]), Text(resource["prefect.state-name"]), isBridge);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;
}
