using System.Globalization;
using System.Text.Json.Nodes;
using Bridge.Worker.Correlation;
using Bridge.Worker.Dispatch;

namespace Bridge.Worker.Prefect;

/// <summary>A <c>prefect.flow-run.{StateName}</c> event, as much of it as Bridge reads.</summary>
internal sealed record FlowRunEvent(Guid Id, string Name, DateTimeOffset? Occurred, Guid FlowRunId, string? StateType, string? StateName, bool IsBridgeRun)
{
    private const string FlowRunPrefix = "prefect.flow-run.";
    private const string TagPrefix = "prefect.tag.";

    /// <summary>The run's name (<c>prefect.resource.name</c>).</summary>
    public string? RunName { get; init; }

    public string? StateMessage { get; init; }

    /// <summary>When the run entered the state (<c>prefect.state-timestamp</c>).</summary>
    public DateTimeOffset? StateTimestamp { get; init; }

    /// <summary>The run's tags, as its related resources carry them (from its first event on).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>
    /// The run as far as this event tells it: state, name, tags, its end for a terminal state, and its start when
    /// the caller saw it (<paramref name="started"/>, the first Running event's state time); no labels.
    /// </summary>
    public PrefectFlowRun AsRun(DateTimeOffset? started) => new()
    {
        Id = FlowRunId,
        Name = RunName,
        StateType = StateType,
        StateName = StateName,
        State = new PrefectState { Type = StateType, Name = StateName, Message = StateMessage, Timestamp = StateTimestamp },
        Tags = Tags,
        StartTime = started,
        EndTime = PrefectStateTypes.IsTerminal(StateType) ? StateTimestamp ?? Occurred : null,
    };

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

        var occurred = Time(item["occurred"]);
        string[] tags = item["related"] is JsonArray related
            ? [.. related.OfType<JsonObject>().Select(r => Text(r["prefect.resource.id"])).OfType<string>()
                .Where(r => r.StartsWith(TagPrefix, StringComparison.Ordinal)).Select(r => r[TagPrefix.Length..])]
            : [];
        return new FlowRunEvent(
            id, name, occurred, flowRunId, Text(resource!["prefect.state-type"]), Text(resource["prefect.state-name"]), tags.Contains(RunLabels.Tag, StringComparer.Ordinal))
        {
            RunName = Text(resource["prefect.resource.name"]),
            StateMessage = Text(resource["prefect.state-message"]) is { Length: > 0 } message ? message : null,
            StateTimestamp = Time(resource["prefect.state-timestamp"]),
            Tags = tags,
        };
    }

    private static DateTimeOffset? Time(JsonNode? node) =>
        DateTimeOffset.TryParse(Text(node), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;
}
