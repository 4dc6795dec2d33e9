using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>Follows a path of property names (string) and array indexes (int) into a JSON node.</summary>
internal static class JsonPath
{
    public static JsonNode? Resolve(JsonNode? root, IEnumerable<object> path)
    {
        var node = root;
        foreach (var segment in path)
        {
            node = (node, segment) switch
            {
                (JsonArray array, int index) when index >= 0 && index < array.Count => array[index],
                (JsonObject obj, string name) => obj[name],
                (JsonObject obj, int index) => obj[index.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }
}
