using System.Text.RegularExpressions;

namespace Bridge.Tests.Captures;

/// <summary>The captured payloads copied to the test output (<c>Captures/</c>, see README.md), read as raw bytes.</summary>
internal static partial class CaptureFiles
{
    public static byte[] Webhook(string name) => Read("bitbucket-webhooks", name);

    public static byte[] Oidc(string name) => Read("bitbucket-oidc", name);

    /// <summary>The request headers of the smalot capture (the block between the first two fences).</summary>
    public static IReadOnlyDictionary<string, string> SmalotHeaders()
    {
        var text = System.Text.Encoding.UTF8.GetString(Webhook("smalot-push-tag-with-headers.md"));
        var block = text.Split("````")[1];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match line in HeaderLine().Matches(block))
        {
            headers[line.Groups[1].Value] = line.Groups[2].Value.Trim();
        }

        return headers;
    }

    private static byte[] Read(string folder, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Captures", folder, name);
        return File.Exists(path)
            ? File.ReadAllBytes(path)
            : throw new Xunit.Sdk.XunitException($"The capture {folder}/{name} is not in the test output ({path}); is it listed by Bridge.Tests.csproj's Captures item?");
    }

    [GeneratedRegex(@"^([A-Za-z0-9-]+): (.*)$", RegexOptions.Multiline)]
    private static partial Regex HeaderLine();
}
