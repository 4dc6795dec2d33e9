using System.Collections.Concurrent;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// The commits an emulator knows: the ones added to it and the commit of every pipeline in its
/// <see cref="PipelineRegistry"/> (shared registries included). Thread-safe.
/// </summary>
public sealed class CommitRegistry
{
    /// <summary>The shortest prefix Bitbucket resolves, as git does by default.</summary>
    public const int ShortestPrefix = 7;

    public const int HashLength = 40;

    private readonly ConcurrentDictionary<(string Repository, string Hash), CommitRecord> commits = new();
    private readonly PipelineRegistry? pipelines;

    internal CommitRegistry(PipelineRegistry? pipelines = null) => this.pipelines = pipelines;

    /// <summary>Adds (or replaces) the commit, hash lowercased; its hash must be a full 40-character SHA-1.</summary>
    public CommitRecord Add(CommitRecord commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (!IsHex(commit.Hash, HashLength, HashLength))
        {
            throw new ArgumentException($"A commit hash must be {HashLength} hex characters (got '{commit.Hash}').", nameof(commit));
        }

        var stored = Lowercase(commit);
        commits[(commit.RepositoryUuid.ToUpperInvariant(), stored.Hash)] = stored;
        return stored;
    }

    /// <summary>
    /// The one commit of the repository whose hash starts with <paramref name="commit"/> (a full hash or a prefix of at
    /// least <see cref="ShortestPrefix"/> hex characters, any case), when <paramref name="workspace"/> and
    /// <paramref name="repository"/> (slugs or brace-wrapped UUIDs) name that repository; null when none or several match.
    /// </summary>
    public CommitRecord? Find(string workspace, string repository, string commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (!IsHex(commit, ShortestPrefix, HashLength))
        {
            return null;
        }

        var matches = Known()
            .Where(c => InRepository(c, workspace, repository) && c.Hash.StartsWith(commit, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(c => c.Hash, StringComparer.OrdinalIgnoreCase)
            .Take(2)
            .ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    // Added commits first, so they win over a pipeline's bare record of the same hash.
    private IEnumerable<CommitRecord> Known() =>
        commits.Values.Concat(
            (pipelines?.All ?? []).Where(p => IsHex(p.Commit, HashLength, HashLength)).Select(p => Lowercase(CommitRecord.Of(p))));

    private static bool InRepository(CommitRecord commit, string workspace, string repository) =>
        (Same(workspace, commit.WorkspaceSlug) || Same(workspace, commit.WorkspaceUuid))
        && (Same(repository, commit.RepositoryFullName.Split('/')[^1]) || Same(repository, commit.RepositoryUuid));

    private static CommitRecord Lowercase(CommitRecord commit) => commit with { Hash = commit.Hash.ToLowerInvariant() };

    private static bool IsHex(string text, int shortest, int longest) =>
        text.Length >= shortest && text.Length <= longest && text.All(char.IsAsciiHexDigit);

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
