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

    public PrefectState? State { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyDictionary<string, JsonElement> Labels { get; init; } = new Dictionary<string, JsonElement>();

    public DateTimeOffset? Created { get; init; }

    public DateTimeOffset? ExpectedStartTime { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    public double TotalRunTime { get; init; }

    public string? WorkPoolName { get; init; }

    /// <summary>COMPLETED, FAILED, CANCELLED and CRASHED are final.</summary>
    public bool IsFinal => PrefectStateTypes.IsTerminal(StateType);

    /// <summary>A label as text (labels are strings, numbers or booleans), or null when absent.</summary>
    public string? Label(string name) =>
        Labels.TryGetValue(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ValueKind is JsonValueKind.Null ? null : value.GetRawText()
            : null;
}
