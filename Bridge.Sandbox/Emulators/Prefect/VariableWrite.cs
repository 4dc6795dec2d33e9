using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>One accepted write of a Prefect Variable (create or update): its name, the value written and when.</summary>
public sealed record VariableWrite(string Name, JsonNode? Value, DateTimeOffset At);
