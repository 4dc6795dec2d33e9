using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bridge.Worker.Routing;

/// <summary>
/// Renders route parameters from an event. A string that is exactly one placeholder (<c>"{{ buildNumber }}"</c>)
/// takes the variable's JSON type (a number stays a number, an absent PR id is null); placeholders inside longer
/// strings are interpolated as text; every other value keeps the type it has in the routes file.
/// </summary>
internal static partial class ParameterTemplate
{
    public static JsonObject Render(IReadOnlyDictionary<string, JsonNode?> templates, IReadOnlyDictionary<string, JsonNode?> variables)
    {
        var result = new JsonObject();
        foreach (var (name, template) in templates)
        {
            result[name] = RenderNode(template, variables);
        }

        return result;
    }

    /// <summary>Every placeholder name used anywhere in <paramref name="node"/>.</summary>
    public static IEnumerable<string> Placeholders(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => Placeholders(p.Value)),
        JsonArray array => array.SelectMany(Placeholders),
        JsonValue value when value.TryGetValue(out string? text) => Placeholder().Matches(text).Select(m => m.Groups[1].Value),
        _ => [],
    };

    private static JsonNode? RenderNode(JsonNode? node, IReadOnlyDictionary<string, JsonNode?> variables)
    {
        switch (node)
        {
            case JsonObject obj:
                var renderedObject = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    renderedObject[key] = RenderNode(value, variables);
                }

                return renderedObject;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => RenderNode(item, variables))]);
            case JsonValue value when value.TryGetValue(out string? text):
                return RenderString(text, variables);
            default:
                return node?.DeepClone();
        }
    }

    private static JsonNode? RenderString(string text, IReadOnlyDictionary<string, JsonNode?> variables)
    {
        var whole = Placeholder().Match(text);
        if (whole.Success && whole.Length == text.Length)
        {
            return variables[whole.Groups[1].Value]?.DeepClone();
        }

        return Placeholder().Replace(text, m => variables[m.Groups[1].Value] switch
        {
            null => string.Empty,
            JsonValue v when v.TryGetValue(out string? s) => s,
            var other => other.ToJsonString(),
        });
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z][A-Za-z.]*)\s*\}\}")]
    private static partial Regex Placeholder();
}
