using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// Turns one definition of an OpenAPI/Swagger document into a standalone JSON Schema document:
/// <c>{"allOf": [{"$ref": "#/definitions/Name"}], "definitions": {…}}</c> holding only the definitions that the root reaches,
/// with every reference rewritten to <c>#/definitions/…</c> (NJsonSchema does not resolve
/// <c>#/components/schemas/…</c>, and compiling all 400 Prefect definitions is slow and fails on some of them).
/// </summary>
internal static class SchemaDocumentBuilder
{
    private const string Target = "#/definitions/";

    public static string Build(JsonObject definitions, string refPrefix, string rootName, Action<string, JsonObject>? adjust)
    {
        var reached = new SortedSet<string>(StringComparer.Ordinal);
        Collect(definitions, refPrefix, rootName, reached);

        var output = new JsonObject();
        foreach (var name in reached)
        {
            var copy = definitions[name]!.DeepClone().AsObject();
            Rewrite(copy, refPrefix);
            adjust?.Invoke(name, copy);
            output[name] = copy;
        }

        // Under allOf rather than a bare $ref: NJsonSchema cannot resolve a root that is itself a $ref on a reference cycle
        // (commit → repository → … → commit).
        return new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = Target + rootName }), ["definitions"] = output }.ToJsonString();
    }

    private static void Collect(JsonObject definitions, string refPrefix, string name, ISet<string> reached)
    {
        if (!reached.Add(name))
        {
            return;
        }

        var definition = definitions[name]
            ?? throw new KeyNotFoundException($"The contract has no schema definition named '{name}'.");
        foreach (var reference in References(definition, refPrefix))
        {
            Collect(definitions, refPrefix, reference, reached);
        }
    }

    private static IEnumerable<string> References(JsonNode? node, string refPrefix)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "$ref" && value is JsonValue v && v.GetValue<string>().StartsWith(refPrefix, StringComparison.Ordinal))
                    {
                        yield return v.GetValue<string>()[refPrefix.Length..];
                    }
                    else
                    {
                        foreach (var inner in References(value, refPrefix))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var inner in References(item, refPrefix))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }

    private static void Rewrite(JsonNode? node, string refPrefix)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue v && v.GetValue<string>() is { } text && text.StartsWith(refPrefix, StringComparison.Ordinal))
                {
                    obj["$ref"] = Target + text[refPrefix.Length..];
                }

                foreach (var (_, value) in obj)
                {
                    Rewrite(value, refPrefix);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Rewrite(item, refPrefix);
                }

                break;
        }
    }
}
