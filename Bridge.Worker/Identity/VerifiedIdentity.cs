namespace Bridge.Worker.Identity;

/// <summary>What a verified token proves about the step that published the event.</summary>
internal sealed record VerifiedIdentity
{
    public required string WorkspaceUuid { get; init; }

    public required string RepositoryUuid { get; init; }

    public required string PipelineUuid { get; init; }

    public required string StepUuid { get; init; }

    /// <summary>The branch the pipeline ran on (absent on tag pipelines).</summary>
    public string? BranchName { get; init; }

    /// <summary>Deployment steps only: <c>deploymentEnvironmentUuid</c> (or the <c>deploymentEnvironment</c> name some tokens carry).</summary>
    public string? DeploymentEnvironment { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }
}
