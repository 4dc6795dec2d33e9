namespace Bridge.Worker.Prefect;

/// <summary>The part of Prefect's <c>DeploymentResponse</c> Bridge reads.</summary>
internal sealed record PrefectDeployment
{
    public required Guid Id { get; init; }

    public required string Name { get; init; }

    public required Guid FlowId { get; init; }

    public string? WorkPoolName { get; init; }

    public string? Status { get; init; }
}
