using System.Globalization;
using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// The part of Prefect's <c>EventFilter</c> the event stream honours: <c>occurred{since,until}</c>,
/// <c>event{prefix,exclude_prefix,name,exclude_name}</c>, <c>resource{id,id_prefix}</c>,
/// <c>any_resource{id,id_prefix}</c>, <c>related{id}</c> and <c>id</c>. As on the open-source server, <c>until</c>
/// defaults to the moment the filter is read (so a filter without it gets backfill but no live events), and
/// <c>related</c> applies to the backfill only.
/// </summary>
internal sealed record EventStreamFilter(
    DateTimeOffset Since,
    DateTimeOffset Until,
    IReadOnlyList<string>? Prefix,
    IReadOnlyList<string>? ExcludePrefix,
    IReadOnlyList<string>? Names,
    IReadOnlyList<string>? ExcludeNames,
    IReadOnlyList<string>? ResourceIds,
    IReadOnlyList<string>? ResourceIdPrefixes,
    IReadOnlyList<string>? AnyResourceIds,
    IReadOnlyList<string>? AnyResourceIdPrefixes,
    IReadOnlyList<string>? RelatedIds,
    IReadOnlyList<string>? Ids)
{
    /// <summary>Reads a filter; <see cref="FormatException"/> when it is not a valid EventFilter.</summary>
    public static EventStreamFilter Parse(JsonNode? node, DateTimeOffset now)
    {
        var filter = node as JsonObject ?? (node is null ? [] : throw new FormatException("filter must be an object"));
        var occurred = Object(filter["occurred"]);
        var @event = Object(filter["event"]);
        var resource = Object(filter["resource"]);
        var any = Object(filter["any_resource"]);
        var related = Object(filter["related"]);
        return new EventStreamFilter(
            Time(occurred?["since"]) ?? now.AddDays(-1),
            Time(occurred?["until"]) ?? now,
            Strings(@event?["prefix"]),
            Strings(@event?["exclude_prefix"]),
            Strings(@event?["name"]),
            Strings(@event?["exclude_name"]),
            Strings(resource?["id"]),
            Strings(resource?["id_prefix"]),
            Strings(any?["id"]),
            Strings(any?["id_prefix"]),
            Strings(related?["id"]),
            Strings(filter["id"]));
    }

    public bool Matches(JsonObject item, bool live)
    {
        ArgumentNullException.ThrowIfNull(item);
        var occurred = DateTimeOffset.Parse(item["occurred"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var name = item["event"]!.GetValue<string>();
        var resourceId = item["resource"]?["prefect.resource.id"]?.GetValue<string>() ?? string.Empty;
        var relatedIds = (item["related"] as JsonArray ?? []).Select(r => r?["prefect.resource.id"]?.GetValue<string>() ?? string.Empty).ToList();
        return occurred >= Since && occurred <= Until
            && (Prefix is null || Prefix.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
            && (ExcludePrefix is null || !ExcludePrefix.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
            && (Names is null || Names.Contains(name))
            && (ExcludeNames is null || !ExcludeNames.Contains(name))
            && (ResourceIds is null || ResourceIds.Contains(resourceId))
            && (ResourceIdPrefixes is null || ResourceIdPrefixes.Any(p => resourceId.StartsWith(p, StringComparison.Ordinal)))
            && (AnyResourceIds is null || AnyResourceIds.Any(id => id == resourceId || relatedIds.Contains(id)))
            && (AnyResourceIdPrefixes is null || AnyResourceIdPrefixes.Any(p => resourceId.StartsWith(p, StringComparison.Ordinal) || relatedIds.Any(r => r.StartsWith(p, StringComparison.Ordinal))))
            && (live || RelatedIds is null || RelatedIds.Any(relatedIds.Contains))
            && (Ids is null || Ids.Contains(item["id"]?.GetValue<string>() ?? string.Empty));
    }

    private static JsonObject? Object(JsonNode? node) =>
        node switch
        {
            null => null,
            JsonObject obj => obj,
            _ => throw new FormatException("expected an object"),
        };

    private static DateTimeOffset? Time(JsonNode? node) =>
        node switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out string? text)
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => at,
            _ => throw new FormatException("expected an ISO 8601 date-time"),
        };

    private static List<string>? Strings(JsonNode? node) =>
        node switch
        {
            null => null,
            JsonArray array when array.All(i => i is JsonValue v && v.TryGetValue(out string? _)) => [.. array.Select(i => i!.GetValue<string>())],
            _ => throw new FormatException("expected a list of strings"),
        };
}
