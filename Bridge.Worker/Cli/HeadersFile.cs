namespace Bridge.Worker.Cli;

/// <summary>
/// A webhook delivery's headers as people capture them: one <c>Name: value</c> a line (names in any case), as
/// webhook.site, requestbin or <c>curl -v</c> show them. Blank lines, <c>#</c> comments and an HTTP request or status
/// line are skipped.
/// </summary>
internal static class HeadersFile
{
    public static (IReadOnlyDictionary<string, string> Headers, IReadOnlyList<string> Errors) Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("HTTP/", StringComparison.Ordinal) || line.EndsWith(" HTTP/1.1", StringComparison.Ordinal))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[..colon].Any(char.IsWhiteSpace))
            {
                errors.Add($"{source}, line {i + 1}: not a 'Name: value' header line");
                continue;
            }

            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        return (headers, errors);
    }
}
