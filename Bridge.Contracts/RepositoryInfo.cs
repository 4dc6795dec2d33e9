namespace Bridge.Contracts;

/// <summary>A Bitbucket repository: its full name (<c>workspace/repo-slug</c>) and its brace-wrapped UUID.</summary>
public sealed record RepositoryInfo
{
    public required string FullName { get; init; }

    public required string Uuid { get; init; }
}
