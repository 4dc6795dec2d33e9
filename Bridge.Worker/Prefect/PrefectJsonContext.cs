using System.Text.Json.Serialization;

namespace Bridge.Worker.Prefect;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PrefectDeployment))]
[JsonSerializable(typeof(CreateFlowRunRequest))]
[JsonSerializable(typeof(PrefectFlowRun))]
[JsonSerializable(typeof(List<PrefectFlowRun>))]
[JsonSerializable(typeof(PrefectVariable))]
[JsonSerializable(typeof(PrefectOrchestrationResult))]
[JsonSerializable(typeof(List<PrefectWorker>))]
internal sealed partial class PrefectJsonContext : JsonSerializerContext;
