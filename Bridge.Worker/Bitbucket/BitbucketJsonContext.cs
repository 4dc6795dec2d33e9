using System.Text.Json.Serialization;

namespace Bridge.Worker.Bitbucket;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BuildStatus))]
[JsonSerializable(typeof(BitbucketPipeline))]
[JsonSerializable(typeof(BitbucketCommit))]
internal sealed partial class BitbucketJsonContext : JsonSerializerContext;
