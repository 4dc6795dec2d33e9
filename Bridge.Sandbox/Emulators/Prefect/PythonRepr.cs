using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>Python's <c>repr()</c> of a JSON value, as the <c>jsonschema</c> package prints it in messages.</summary>
internal static class PythonRepr
{
    public static string Of(JsonNode? node) => node switch
    {
        null => "None",
        JsonObject obj => "{" + string.Join(", ", obj.Select(p => $"{Of(p.Key)}: {Of(p.Value)}")) + "}",
        JsonArray array => "[" + string.Join(", ", array.Select(Of)) + "]",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => Of(value.GetValue<string>()),
            JsonValueKind.True => "True",
            JsonValueKind.False => "False",
            JsonValueKind.Null => "None",
            _ => value.ToJsonString(),
        },
        _ => node.ToJsonString(),
    };

    public static string Of(string text) =>
        text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal)
            ? $"\"{text.Replace("\\", "\\\\", StringComparison.Ordinal)}\""
            : $"'{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'";

    public static string Of(IEnumerable<object?> values) =>
        "[" + string.Join(", ", values.Select(v => v switch
        {
            null => "None",
            string s => Of(s),
            bool b => b ? "True" : "False",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => Of(v.ToString() ?? string.Empty),
        })) + "]";
}
