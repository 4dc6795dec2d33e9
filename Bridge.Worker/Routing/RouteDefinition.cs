using System.Text.Json.Nodes;
using Bridge.Contracts;

namespace Bridge.Worker.Routing;

/// <summary>One validated route: which events it takes and the Prefect deployment it starts for them.</summary>
internal sealed record RouteDefinition
{
    public required string Name { get; init; }

    public required RouteMatch Match { get; init; }

    public required string FlowName { get; init; }

    public required string DeploymentName { get; init; }

    /// <summary>Parameter templates; values keep their YAML/JSON types.</summary>
    public required IReadOnlyDictionary<string, JsonNode?> Parameters { get; init; }

    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>The build status name shown in Bitbucket.</summary>
    public required string StatusName { get; init; }

    public string Deployment => $"{FlowName}/{DeploymentName}";

    public bool Matches(PipelineEvent message) => Match.Matches(message);
}
