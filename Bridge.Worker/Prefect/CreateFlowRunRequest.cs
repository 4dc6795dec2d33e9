using System.Text;
using System.Text.Json.Nodes;

namespace Bridge.Worker.Prefect;

/// <summary>The body of <c>POST /deployments/{id}/create_flow_run</c> (<c>DeploymentFlowRunCreate</c>) as Bridge sends it.</summary>
internal sealed record CreateFlowRunRequest
{
    public required string Name { get; init; }

    public required JsonObject Parameters { get; init; }

    public required IReadOnlyList<string> Tags { get; init; }

    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    public required string IdempotencyKey { get; init; }

    /// <summary>
    /// Overrides of the work pool's job variables for this run (<c>{"env": {...}}</c> with the route's cloud credentials);
    /// null = none sent. Secret: never logged.
    /// </summary>
    public JsonObject? JobVariables { get; init; }

    /// <summary>Prints the request without its job variables, which may hold credentials.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name)
            .Append(", IdempotencyKey = ").Append(IdempotencyKey)
            .Append(", JobVariables = ").Append(JobVariables is null ? "null" : "***");
        return true;
    }
}
