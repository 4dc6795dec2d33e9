namespace Bridge.Worker.Bitbucket;

/// <summary>The commit a status is posted on. Workspace and repository are brace-wrapped UUIDs, so renames do not matter.</summary>
internal sealed record StatusTarget(string WorkspaceUuid, string RepositoryUuid, string Commit);
