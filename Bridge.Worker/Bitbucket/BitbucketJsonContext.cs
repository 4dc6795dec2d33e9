using System.Text.Json.Serialization;

namespace Bridge.Worker.Bitbucket;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BitbucketBuildStatus))]
[JsonSerializable(typeof(BitbucketPipeline))]
[JsonSerializable(typeof(BitbucketCommit))]
[JsonSerializable(typeof(BitbucketPage))]
internal sealed partial class BitbucketJsonContext : JsonSerializerContext;
