namespace Bridge.Worker.PipelineEvents;

/// <summary>One route's flow run: its state, its link in the Prefect UI, and the commit status it calls for.</summary>
internal sealed record FollowedRoute
{
    public required string Route { get; init; }

    public required Guid FlowRunId { get; init; }

    /// <summary>Prefect's state type (<c>RUNNING</c>, <c>COMPLETED</c>, <c>FAILED</c>…).</summary>
    public string? State { get; init; }

    public string? StateName { get; init; }

    public required bool Final { get; init; }

    public required string Url { get; init; }

    public string? StatusKey { get; init; }

    /// <summary>The build state the run's status shows on the commit (<c>INPROGRESS</c>, <c>SUCCESSFUL</c>, <c>FAILED</c>, <c>STOPPED</c>).</summary>
    public required string CommitStatus { get; init; }

    /// <summary>The final state Bridge has posted (the commit's status for the run, as Bitbucket shows it), or null until it has.</summary>
    public string? ReportedStatus { get; init; }
}
