using System.Text.Json;

namespace Bridge.Worker.Prefect;

/// <summary>The part of Prefect's <c>Variable</c> Bridge reads.</summary>
internal sealed record PrefectVariable
{
    public required string Name { get; init; }

    public JsonElement Value { get; init; }
}
