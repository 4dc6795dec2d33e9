using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>Prefect's <c>State</c>.</summary>
internal sealed record StateResponse(
    Guid Id, string Type, string Name, DateTimeOffset Timestamp, string? Message, JsonNode? Data, StateDetailsResponse StateDetails);
