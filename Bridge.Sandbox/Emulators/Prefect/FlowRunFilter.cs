using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// The part of Prefect's <c>FlowRunFilter</c> the emulator understands: <c>id</c>, <c>tags</c>, <c>state.type</c>,
/// <c>state.name</c>, <c>idempotency_key</c>, <c>deployment_id</c>, <c>name</c>, <c>start_time</c>, <c>end_time</c> and
/// <c>expected_start_time</c> (<c>before_</c>/<c>after_</c> inclusive, <c>is_null_</c>), combined by <c>operator</c>
/// (<c>and_</c> by default). Other criteria are accepted by the schema and ignored.
/// </summary>
internal static class FlowRunFilter
{
    public static bool Matches(FlowRunRecord run, JsonObject? filter)
    {
        if (filter is null)
        {
            return true;
        }

        var results = new List<bool>();
        Add(results, filter["id"], f => Values(f, "any_", "not_any_", run.Id.ToString()));
        Add(results, filter["tags"], f => Tags(f, run.Tags));
        Add(results, filter["state"], f => Combine(f, [
            Criterion(f["type"], t => Values(t, "any_", "not_any_", run.State.Type)),
            Criterion(f["name"], n => Values(n, "any_", "not_any_", run.State.Name)),
        ]));
        Add(results, filter["idempotency_key"], f => Values(f, "any_", "not_any_", run.IdempotencyKey));
        Add(results, filter["deployment_id"], f => DeploymentId(f, run.DeploymentId));
        Add(results, filter["name"], f => Values(f, "any_", "not_any_", run.Name));
        Add(results, filter["start_time"], f => Time(f, run.StartTime));
        Add(results, filter["end_time"], f => Time(f, run.EndTime));
        Add(results, filter["expected_start_time"], f => Time(f, run.ExpectedStartTime));
        return Combine(filter, results.Select(r => (bool?)r).ToArray());
    }

    private static void Add(List<bool> results, JsonNode? node, Func<JsonObject, bool> test)
    {
        if (node is JsonObject criterion)
        {
            results.Add(test(criterion));
        }
    }

    private static bool? Criterion(JsonNode? node, Func<JsonObject, bool> test) =>
        node is JsonObject criterion ? test(criterion) : null;

    private static bool Combine(JsonObject filter, bool?[] results)
    {
        var present = results.Where(r => r.HasValue).Select(r => r!.Value).ToList();
        if (present.Count == 0)
        {
            return true;
        }

        return filter["operator"] is JsonValue op && op.GetValue<string>() == "or_" ? present.Any(r => r) : present.All(r => r);
    }

    private static bool Values(JsonObject criterion, string anyName, string notAnyName, string? actual)
    {
        var any = List(criterion[anyName]);
        var notAny = List(criterion[notAnyName]);
        return (any is null || (actual is not null && any.Contains(actual, StringComparer.OrdinalIgnoreCase)))
            && (notAny is null || actual is null || !notAny.Contains(actual, StringComparer.OrdinalIgnoreCase));
    }

    private static bool Tags(JsonObject criterion, IReadOnlyList<string> tags)
    {
        var all = List(criterion["all_"]);
        var any = List(criterion["any_"]);
        var isNull = criterion["is_null_"] is JsonValue v ? v.GetValue<bool>() : (bool?)null;
        var checks = new bool?[]
        {
            all is null ? null : all.All(t => tags.Contains(t, StringComparer.Ordinal)),
            any is null ? null : any.Any(t => tags.Contains(t, StringComparer.Ordinal)),
            isNull is null ? null : isNull.Value == (tags.Count == 0),
        };
        return Combine(criterion, checks);
    }

    /// <summary>A time criterion: a null time matches only <c>is_null_: true</c>; bounds are inclusive.</summary>
    private static bool Time(JsonObject criterion, DateTimeOffset? actual)
    {
        var before = Timestamp(criterion["before_"]);
        var after = Timestamp(criterion["after_"]);
        var isNull = criterion["is_null_"] is JsonValue v ? v.GetValue<bool>() : (bool?)null;
        if (isNull is { } wantsNull && wantsNull != (actual is null))
        {
            return false;
        }

        return (before is null || (actual is { } b && b <= before))
            && (after is null || (actual is { } a && a >= after));
    }

    private static DateTimeOffset? Timestamp(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue(out string? text)
            ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal)
            : null;

    private static bool DeploymentId(JsonObject criterion, Guid? deploymentId)
    {
        var any = List(criterion["any_"]);
        var isNull = criterion["is_null_"] is JsonValue v ? v.GetValue<bool>() : (bool?)null;
        return Combine(criterion, [
            any is null ? null : deploymentId is { } id && any.Contains(id.ToString(), StringComparer.OrdinalIgnoreCase),
            isNull is null ? null : isNull.Value == (deploymentId is null),
        ]);
    }

    private static List<string>? List(JsonNode? node) =>
        node is JsonArray array ? array.Select(item => item!.GetValue<string>()).ToList() : null;
}
