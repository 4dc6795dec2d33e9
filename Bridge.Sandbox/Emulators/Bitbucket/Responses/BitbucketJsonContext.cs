using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Bridge.Sandbox.Emulators;

// Absent optional fields are omitted, not null: the swagger types them as plain strings.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(BitbucketTimestampConverter)])]
[JsonSerializable(typeof(CommitStatusResponse))]
[JsonSerializable(typeof(PaginatedCommitStatuses))]
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class BitbucketJsonContext : JsonSerializerContext
{
    /// <summary>The context to answer with: like <see cref="Default"/>, but writes <c>'</c>, <c>+</c>, <c>&lt;</c> unescaped, as the real servers do.</summary>
    public static BitbucketJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new BitbucketTimestampConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
