using System.Text.Json.Serialization;

namespace Bridge.Worker.Bitbucket;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BuildStatus))]
internal sealed partial class BitbucketJsonContext : JsonSerializerContext;
