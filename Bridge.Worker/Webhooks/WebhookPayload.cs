using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bridge.Contracts;
using Bridge.Worker.Bitbucket;

namespace Bridge.Worker.Webhooks;

/// <summary>
/// What Bridge reads from a <c>repo:push</c> or <c>pullrequest:fulfilled</c> body: the repository, and one
/// <see cref="WebhookChange"/> per branch or tag updated (a push may update several; a deleted ref yields none).
/// A branch push counts as a merge. A body it cannot read gives an <see cref="InvalidWebhook"/> naming the field at fault.
/// </summary>
internal sealed partial record WebhookPayload(WorkspaceInfo Workspace, RepositoryInfo Repository, IReadOnlyList<WebhookChange> Changes, IReadOnlyList<string> Skipped)
{
    public const string Push = "repo:push";
    public const string PullRequestFulfilled = "pullrequest:fulfilled";

    public static readonly IReadOnlyList<string> EventKeys = [Push, PullRequestFulfilled];

    public static (WebhookPayload? Payload, InvalidWebhook? Invalid) Read(string eventKey, ReadOnlySpan<byte> body)
    {
        try
        {
            return (Parse(eventKey, body), null);
        }
        catch (Unreadable unreadable)
        {
            return (null, unreadable.Invalid);
        }
    }

    private static WebhookPayload Parse(string eventKey, ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            throw Invalid("$", "the body is not JSON");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("$", "the body is not a JSON object");
            }

            var (workspace, repository) = ReadRepository(root);
            var skipped = new List<string>();
            var changes = eventKey switch
            {
                Push => ReadPush(root, skipped),
                PullRequestFulfilled => [ReadPullRequest(root)],
                _ => throw Invalid("X-Event-Key", $"'{eventKey}' is not handled; Bridge reads {string.Join(" and ", EventKeys)}"),
            };
            return new WebhookPayload(workspace, repository, changes, skipped);
        }
    }

    private static (WorkspaceInfo, RepositoryInfo) ReadRepository(JsonElement root)
    {
        var repository = Object(root, "repository", "repository");
        var fullName = String(repository, "full_name", "repository.full_name");
        var uuid = String(repository, "uuid", "repository.uuid");
        var slash = fullName.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == fullName.Length - 1 || !BitbucketUuid.IsBraced(uuid))
        {
            throw Invalid("repository", "repository.full_name must be workspace/repo-slug and repository.uuid a UUID in braces");
        }

        var slug = fullName[..slash];
        var workspaceUuid = OptionalUuid(repository, "workspace") ?? OptionalUuid(repository, "owner") ?? slug;
        return (new WorkspaceInfo { Slug = slug, Uuid = workspaceUuid }, new RepositoryInfo { FullName = fullName, Uuid = uuid });
    }

    private static List<WebhookChange> ReadPush(JsonElement root, List<string> skipped)
    {
        var push = Object(root, "push", "push");
        if (!push.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("push.changes", "push.changes is required and must be a list");
        }

        var result = new List<WebhookChange>();
        var index = 0;
        foreach (var change in changes.EnumerateArray())
        {
            var at = $"push.changes[{index++}]";
            if (!change.TryGetProperty("new", out var updated) || updated.ValueKind == JsonValueKind.Null)
            {
                skipped.Add($"{at}: a deleted ref");
                continue;
            }

            if (updated.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"{at}.new", $"{at}.new must be an object or null");
            }

            var type = String(updated, "type", $"{at}.new.type");
            var name = String(updated, "name", $"{at}.new.name");
            RefType? refType = type switch
            {
                "branch" => RefType.Branch,
                "tag" or "annotated_tag" => RefType.Tag,
                _ => null,
            };
            if (refType is null)
            {
                skipped.Add($"{at}: a {type}, neither a branch nor a tag");
                continue;
            }

            var target = Object(updated, "target", $"{at}.new.target");
            var hash = Hash(target, $"{at}.new.target.hash");
            result.Add(new WebhookChange(refType == RefType.Tag ? EventKind.Tag : EventKind.Merge, new GitRef { Name = name, Type = refType.Value }, hash, null));
        }

        return result;
    }

    private static WebhookChange ReadPullRequest(JsonElement root)
    {
        var pullRequest = Object(root, "pullrequest", "pullrequest");
        if (!pullRequest.TryGetProperty("id", out var idElement) || !idElement.TryGetInt64(out var id) || id <= 0)
        {
            throw Invalid("pullrequest.id", "pullrequest.id must be a positive number");
        }

        var destination = Object(pullRequest, "destination", "pullrequest.destination");
        var branch = String(Object(destination, "branch", "pullrequest.destination.branch"), "name", "pullrequest.destination.branch.name");
        if (!pullRequest.TryGetProperty("merge_commit", out var mergeCommit) || mergeCommit.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(
                "pullrequest.merge_commit", string.Create(CultureInfo.InvariantCulture, $"pull request {id} has no merge_commit; it is not a merged pull request"));
        }

        var hash = Hash(mergeCommit, "pullrequest.merge_commit.hash");
        return new WebhookChange(EventKind.Merge, new GitRef { Name = branch, Type = RefType.Branch }, hash, id);
    }

    private static JsonElement Object(JsonElement parent, string name, string at) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : throw Invalid(at, $"{at} is required and must be an object");

    private static string String(JsonElement parent, string name, string at) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw Invalid(at, $"{at} is required and must be a non-empty string");

    private static string Hash(JsonElement parent, string at)
    {
        var hash = String(parent, "hash", at);
        return CommitHash().IsMatch(hash)
            ? hash.ToLowerInvariant()
            : throw Invalid(at, $"{at} must be a commit hash of 7 to 40 hexadecimal characters");
    }

    private static string? OptionalUuid(JsonElement repository, string name) =>
        repository.TryGetProperty(name, out var owner) && owner.ValueKind == JsonValueKind.Object
        && owner.TryGetProperty("uuid", out var uuid) && uuid.ValueKind == JsonValueKind.String
        && uuid.GetString() is { } text && BitbucketUuid.IsBraced(text)
            ? text
            : null;

    private static Unreadable Invalid(string field, string message) => new(InvalidWebhook.At(field, message));

    [GeneratedRegex("^[0-9a-fA-F]{7,40}$")]
    private static partial Regex CommitHash();

    /// <summary>Leaves the recursive descent at the first field at fault; never escapes <see cref="Read"/>.</summary>
    private sealed class Unreadable(InvalidWebhook invalid) : Exception(invalid.Why)
    {
        public InvalidWebhook Invalid { get; } = invalid;
    }

}
