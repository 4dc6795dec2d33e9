namespace Bridge.Sandbox.Emulators;

/// <summary>Bitbucket's <c>commitstatus</c> (snake_case on the wire).</summary>
internal sealed record CommitStatusResponse
{
    public string Type { get; init; } = "build";
    public required string Key { get; init; }
    public required string State { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public required string Url { get; init; }
    public string? Refname { get; init; }
    public required DateTimeOffset CreatedOn { get; init; }
    public required DateTimeOffset UpdatedOn { get; init; }
    public required string Uuid { get; init; }
    public required CommitStatusLinks Links { get; init; }
}
