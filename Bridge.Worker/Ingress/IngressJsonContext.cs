using System.Text.Json;
using System.Text.Json.Serialization;
using Bridge.Contracts;
using Bridge.Worker.PipelineEvents;

namespace Bridge.Worker.Ingress;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PipelineEvent))]
[JsonSerializable(typeof(AcceptedEvent))]
[JsonSerializable(typeof(FollowedEvent))]
[JsonSerializable(typeof(Webhooks.WebhookAccepted))]
internal sealed partial class IngressJsonContext : JsonSerializerContext;
