namespace Bridge.Contracts;

/// <summary>A Bitbucket workspace: its slug (as in URLs) and its brace-wrapped UUID.</summary>
public sealed record WorkspaceInfo
{
    public required string Slug { get; init; }

    public required string Uuid { get; init; }
}
