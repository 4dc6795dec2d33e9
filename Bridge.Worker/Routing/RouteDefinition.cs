using System.Text.Json.Nodes;

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

    /// <summary>A newer merge on the same repository and branch cancels this route's older unfinished runs.</summary>
    public bool CancelSuperseded { get; init; }

    /// <summary>Which repositories, branches, tags and deployment environments may trigger the route.</summary>
    public RouteAllow Allow { get; init; } = RouteAllow.Anything;

    /// <summary>Whether the event's commit and ref are checked against Bitbucket's pipeline record (default true).</summary>
    public bool VerifyCommit { get; init; } = true;

    /// <summary>The cloud credentials the route exchanges the step token for, and how the run receives them; null = none.</summary>
    public Credentials.RouteCredentials? Credentials { get; init; }

    /// <summary>
    /// The Bitbucket webhook event keys the route takes (<c>webhooks:</c>); empty = it takes pipeline events only.
    /// A route takes either webhooks or pipeline events, never both.
    /// </summary>
    public IReadOnlySet<string> Webhooks { get; init; } = new HashSet<string>();

    public bool TakesWebhooks => Webhooks.Count > 0;

    public string Deployment => $"{FlowName}/{DeploymentName}";

    /// <summary>The route's build-status key on a commit, the same for every run of the route.</summary>
    public string StatusKey => field ??= Bitbucket.StatusKeys.For(Name, Deployment);

    public bool Matches(RouteSubject subject) => Match.Matches(subject);
}
