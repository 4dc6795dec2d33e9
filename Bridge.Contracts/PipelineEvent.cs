using System.Text;

namespace Bridge.Contracts;

/// <summary>
/// Version 1 of the event a Bitbucket Pipelines step publishes to Bridge: a merge into a branch or a pushed tag,
/// with the step's OIDC token that vouches for the workspace and repository it names.
/// </summary>
/// <remarks>
/// The JSON form uses camelCase names (<c>kind</c>, <c>workspace.slug</c>, <c>oidcToken</c>…); see docs/events.md.
/// <see cref="ToString"/> never prints the token.
/// </remarks>
public sealed record PipelineEvent
{
    /// <summary>The contract version this message follows. Only 1 exists.</summary>
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>Optional id chosen by the publisher; Bridge derives a stable one when it is absent.</summary>
    public Guid? EventId { get; init; }

    public required EventKind Kind { get; init; }

    public required WorkspaceInfo Workspace { get; init; }

    public required RepositoryInfo Repository { get; init; }

    /// <summary>The full 40-character commit SHA.</summary>
    public required string Commit { get; init; }

    public required GitRef Ref { get; init; }

    public required string PipelineUuid { get; init; }

    public required string StepUuid { get; init; }

    public required long BuildNumber { get; init; }

    /// <summary>The pull request that was merged, when the publisher knows it.</summary>
    public long? PullRequestId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The step's <c>BITBUCKET_STEP_OIDC_TOKEN</c>. A secret: never log it.</summary>
    public required string OidcToken { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Version = ").Append(Version)
            .Append(", EventId = ").Append(EventId)
            .Append(", Kind = ").Append(Kind)
            .Append(", Repository = ").Append(Repository?.FullName)
            .Append(", Commit = ").Append(Commit)
            .Append(", Ref = ").Append(Ref?.Name)
            .Append(", BuildNumber = ").Append(BuildNumber)
            .Append(", OidcToken = ***");
        return true;
    }
}
