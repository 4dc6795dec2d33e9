using System.Text.Json.Nodes;

namespace Bridge.Worker.Prefect;

/// <summary>The body of <c>POST /deployments/{id}/create_flow_run</c> (<c>DeploymentFlowRunCreate</c>) as Bridge sends it.</summary>
internal sealed record FlowRunCreate
{
    public required string Name { get; init; }

    public required JsonObject Parameters { get; init; }

    public required IReadOnlyList<string> Tags { get; init; }

    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    public required string IdempotencyKey { get; init; }
}
