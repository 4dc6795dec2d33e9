namespace Bridge.Sandbox.Emulators;

/// <summary>
/// Parses NJsonSchema's error paths (<c>#/state.type</c>, <c>#/tags[0]</c>, <c>#/labels['a.b']</c>) into segments:
/// property names as strings, array indexes as ints.
/// </summary>
internal static class SchemaPath
{
    public static IReadOnlyList<object> Parse(string? path)
    {
        var segments = new List<object>();
        if (string.IsNullOrEmpty(path))
        {
            return segments;
        }

        var text = path.StartsWith("#/", StringComparison.Ordinal) ? path[2..] : path.TrimStart('#');
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                i++;
            }
            else if (text[i] == '[' && i + 1 < text.Length && text[i + 1] == '\'')
            {
                var end = text.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? text.Length : end;
                segments.Add(text[(i + 2)..end]);
                i = Math.Min(text.Length, end + 2);
            }
            else if (text[i] == '[')
            {
                var end = text.IndexOf(']', i + 1);
                end = end < 0 ? text.Length : end;
                var inner = text[(i + 1)..end];
                segments.Add(int.TryParse(inner, System.Globalization.CultureInfo.InvariantCulture, out var index) ? index : inner);
                i = Math.Min(text.Length, end + 1);
            }
            else
            {
                var end = text.IndexOfAny(['.', '['], i);
                end = end < 0 ? text.Length : end;
                segments.Add(text[i..end]);
                i = end;
            }
        }

        return segments;
    }
}
