using System.Text.Json;

namespace Bridge.Worker.Prefect;

/// <summary>The part of Prefect's <c>FlowRunResponse</c> Bridge reads.</summary>
internal sealed record PrefectFlowRun
{
    public required Guid Id { get; init; }

    public string? Name { get; init; }

    public Guid? DeploymentId { get; init; }

    public string? IdempotencyKey { get; init; }

    public string? StateType { get; init; }

    public string? StateName { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyDictionary<string, JsonElement> Labels { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>COMPLETED, FAILED, CANCELLED and CRASHED are final.</summary>
    public bool IsFinal => StateType is "COMPLETED" or "FAILED" or "CANCELLED" or "CRASHED";
}
