namespace Bridge.Worker.PipelineEvents;

/// <summary>One matched route: the build-status key it posts on the commit and where that status can be followed.</summary>
internal sealed record AcceptedRoute
{
    public required string Route { get; init; }

    public required string Deployment { get; init; }

    public required string StatusKey { get; init; }

    public required string StatusName { get; init; }

    /// <summary>The Bitbucket API resource of the route's build status on the event's commit.</summary>
    public required string StatusUrl { get; init; }
}
