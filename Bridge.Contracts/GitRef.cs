namespace Bridge.Contracts;

/// <summary>
/// A branch or tag. <see cref="Name"/> is bare, as Bitbucket Cloud sends it (<c>main</c>, <c>v1.2.0</c>),
/// not <c>refs/heads/…</c> or <c>refs/tags/…</c>.
/// </summary>
public sealed record GitRef
{
    public required string Name { get; init; }

    public required RefType Type { get; init; }
}
