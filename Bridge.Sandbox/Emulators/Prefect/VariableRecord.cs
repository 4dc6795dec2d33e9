using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>A Prefect Variable held by the emulator.</summary>
public sealed record VariableRecord(Guid Id, string Name, JsonNode? Value, IReadOnlyList<string> Tags, DateTimeOffset Created, DateTimeOffset Updated);
