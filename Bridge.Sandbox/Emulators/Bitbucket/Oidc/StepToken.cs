namespace Bridge.Sandbox.Emulators;

/// <summary>
/// What a Bitbucket Pipelines step's OIDC token says (reference §1.3). Every UUID is brace-wrapped. Left null, the
/// times follow Bitbucket's assumed defaults (issued now, valid one hour, no <c>nbf</c>) and the audience is the
/// workspace's default <c>ari:cloud:bitbucket::workspace/{uuid without braces}</c>.
/// </summary>
public sealed record StepToken
{
    public required string RepositoryUuid { get; init; }

    public required string PipelineUuid { get; init; }

    public required string StepUuid { get; init; }

    /// <summary>The branch the pipeline runs on; absent on tag pipelines.</summary>
    public string? BranchName { get; init; }

    /// <summary>Set on deployment steps: <c>sub</c> becomes <c>{repo}:{env}:{step}</c>.</summary>
    public string? DeploymentEnvironmentUuid { get; init; }

    /// <summary>A custom audience (<c>oidc: audiences:</c> in the step); null for the workspace's default.</summary>
    public string? Audience { get; init; }

    public DateTimeOffset? IssuedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Bitbucket's tokens carry no <c>nbf</c>; set it to test one.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Overrides the workspace's issuer in <c>iss</c> (to forge a wrong-issuer token).</summary>
    public string? Issuer { get; init; }

    /// <summary>Overrides the workspace UUID in <c>workspaceUuid</c>.</summary>
    public string? WorkspaceUuid { get; init; }
}
