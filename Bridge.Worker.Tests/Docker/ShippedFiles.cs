using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Bridge.Tests.Docker;

/// <summary>The repository's files under test (docker/, pipe/), read from the checkout, and YAML read as JSON.</summary>
internal static class ShippedFiles
{
    public static readonly string Root = FindRoot();

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(Path(relative));

    /// <summary>
    /// The YAML document as JSON, with plain scalars typed as YAML 1.2's core schema types them (null, booleans,
    /// numbers), so that a JSON schema sees <c>retries: 10</c> as a number and <c>"10"</c> as a string.
    /// </summary>
    public static JsonNode? YamlAsJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return ToJson(stream.Documents[0].RootNode);
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c =>
            KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? string.Empty, ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"unsupported YAML node at {node.Start}"),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => JsonValue.Create(whole),
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            _ => JsonValue.Create(text),
        };
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Bridge.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Bridge.sln above {AppContext.BaseDirectory}");
    }
}
