using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>A deployment known to the Prefect emulator. Flows are identified by name: same flow name, same <see cref="FlowId"/>.</summary>
public sealed record DeploymentRecord
{
    public required Guid Id { get; init; }

    public required Guid FlowId { get; init; }

    public required string FlowName { get; init; }

    public required string Name { get; init; }

    public required JsonObject Parameters { get; init; }

    public required IReadOnlyList<string> Tags { get; init; }

    public JsonObject? ParameterSchema { get; init; }

    public required bool EnforceParameterSchema { get; init; }

    public string? WorkPoolName { get; init; }

    public string? WorkQueueName { get; init; }

    public required DateTimeOffset Created { get; init; }

    /// <summary><c>READY</c>, or <c>NOT_READY</c> when no worker has polled the deployment's queue recently.</summary>
    public string Status { get; init; } = "READY";

    /// <summary><c>flow-name/deployment-name</c>, as Prefect prints it.</summary>
    public string FullName => $"{FlowName}/{Name}";

    internal DeploymentRecord Copy() => this with
    {
        Parameters = Parameters.DeepClone().AsObject(),
        ParameterSchema = ParameterSchema?.DeepClone().AsObject(),
    };
}
