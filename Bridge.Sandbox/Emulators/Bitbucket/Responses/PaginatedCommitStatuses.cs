namespace Bridge.Sandbox.Emulators;

/// <summary>Bitbucket's <c>paginated_commitstatuses</c>.</summary>
internal sealed record PaginatedCommitStatuses(
    IReadOnlyList<CommitStatusResponse> Values,
    int Pagelen,
    int Size,
    int Page,
    string? Next,
    string? Previous);
