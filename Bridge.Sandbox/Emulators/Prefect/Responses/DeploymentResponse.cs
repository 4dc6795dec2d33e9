using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>Prefect's <c>DeploymentResponse</c> (snake_case on the wire).</summary>
internal sealed record DeploymentResponse
{
    public required Guid Id { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset Updated { get; init; }
    public required string Name { get; init; }
    public string? Version { get; init; }
    public string? Description { get; init; }
    public required Guid FlowId { get; init; }
    public bool Paused { get; init; }
    public JsonArray Schedules { get; init; } = [];
    public int? ConcurrencyLimit { get; init; }
    public JsonObject? GlobalConcurrencyLimit { get; init; }
    public JsonObject? ConcurrencyOptions { get; init; }
    public required JsonObject JobVariables { get; init; }
    public required JsonObject Parameters { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public required JsonObject Labels { get; init; }
    public string? WorkQueueName { get; init; }
    public Guid? WorkQueueId { get; init; }
    public DateTimeOffset? LastPolled { get; init; }
    public JsonObject? ParameterOpenapiSchema { get; init; }
    public string? Path { get; init; }
    public JsonArray? PullSteps { get; init; }
    public string? Entrypoint { get; init; }
    public Guid? StorageDocumentId { get; init; }
    public Guid? InfrastructureDocumentId { get; init; }
    public JsonObject? CreatedBy { get; init; }
    public JsonObject? UpdatedBy { get; init; }
    public string? WorkPoolName { get; init; }
    public string? Status { get; init; }
    public bool EnforceParameterSchema { get; init; }
}
