namespace Bridge.Sandbox.Emulators;

/// <summary>
/// A commit build status held by the Bitbucket emulator. <see cref="Workspace"/> and <see cref="Repository"/> are stored
/// as they appeared in the URL (decoded): a slug or a brace-wrapped UUID.
/// </summary>
public sealed record CommitStatusRecord
{
    public required string Workspace { get; init; }

    public required string Repository { get; init; }

    public required string Commit { get; init; }

    public required string Key { get; init; }

    public required string State { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public required string Url { get; init; }

    public string? Refname { get; init; }

    public required Guid Uuid { get; init; }

    public required DateTimeOffset CreatedOn { get; init; }

    public required DateTimeOffset UpdatedOn { get; init; }
}
