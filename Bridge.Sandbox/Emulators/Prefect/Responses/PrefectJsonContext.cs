using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Bridge.Sandbox.Emulators;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(PrefectTimestampConverter)])]
[JsonSerializable(typeof(FlowRunResponse))]
[JsonSerializable(typeof(List<FlowRunResponse>))]
[JsonSerializable(typeof(DeploymentResponse))]
[JsonSerializable(typeof(OrchestrationResultResponse))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(bool))]
internal sealed partial class PrefectJsonContext : JsonSerializerContext
{
    /// <summary>The context to answer with: like <see cref="Default"/>, but writes <c>'</c>, <c>+</c>, <c>&lt;</c> unescaped, as the real servers do.</summary>
    public static PrefectJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new PrefectTimestampConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
