using System.Text.RegularExpressions;
using Bridge.Contracts;
using Bridge.Worker.Bitbucket;

namespace Bridge.Worker.PipelineEvents;

/// <summary>Checks the shape of a <see cref="PipelineEvent"/> and names every field at fault, in its JSON spelling.</summary>
internal static partial class PipelineEventValidator
{
    /// <summary>
    /// Longest ref name taken (Git sets none; file systems keep a ref's path components under 256 bytes): a longer one
    /// is no real branch or tag, and would be written whole into every log line and label that names it.
    /// </summary>
    public const int MaxRefName = 1024;

    public static IReadOnlyList<string> Validate(PipelineEvent? message)
    {
        if (message is null)
        {
            return ["the message body is empty or not a JSON object"];
        }

        var errors = new List<string>();
        if (message.Version != PipelineEvent.CurrentVersion)
        {
            errors.Add($"version: {message.Version} is not supported (this worker reads version {PipelineEvent.CurrentVersion})");
        }

        if (!Enum.IsDefined(message.Kind))
        {
            errors.Add("kind: must be \"merge\" or \"tag\"");
        }

        ValidateWorkspace(message.Workspace, errors);
        ValidateRepository(message, errors);
        if (message.Commit is null || !FullSha().IsMatch(message.Commit))
        {
            errors.Add("commit: must be the full 40-character hexadecimal SHA");
        }

        ValidateRef(message, errors);
        RequireUuid(message.PipelineUuid, "pipelineUuid", errors);
        RequireUuid(message.StepUuid, "stepUuid", errors);
        if (message.BuildNumber <= 0)
        {
            errors.Add("buildNumber: must be a positive number");
        }

        if (message.PullRequestId is <= 0)
        {
            errors.Add("pullRequestId: must be a positive number or absent");
        }

        if (message.OccurredAt == default)
        {
            errors.Add("occurredAt: must be an ISO 8601 timestamp");
        }

        if (string.IsNullOrWhiteSpace(message.OidcToken))
        {
            errors.Add("oidcToken: is required (the step's BITBUCKET_STEP_OIDC_TOKEN; did the step set `oidc: true`?)");
        }

        return errors;
    }

    private static void ValidateWorkspace(WorkspaceInfo? workspace, List<string> errors)
    {
        if (workspace is null)
        {
            errors.Add("workspace: is required");
            return;
        }

        if (string.IsNullOrWhiteSpace(workspace.Slug) || !Slug().IsMatch(workspace.Slug))
        {
            errors.Add("workspace.slug: must be the workspace slug as in Bitbucket URLs");
        }

        RequireUuid(workspace.Uuid, "workspace.uuid", errors);
    }

    private static void ValidateRepository(PipelineEvent message, List<string> errors)
    {
        var repository = message.Repository;
        if (repository is null)
        {
            errors.Add("repository: is required");
            return;
        }

        var parts = repository.FullName?.Split('/') ?? [];
        if (parts.Length != 2 || !Slug().IsMatch(parts[0]) || !Slug().IsMatch(parts[1]))
        {
            errors.Add("repository.fullName: must be \"workspace/repo-slug\"");
        }
        else if (message.Workspace?.Slug is { } slug && !string.Equals(parts[0], slug, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"repository.fullName: belongs to workspace \"{parts[0]}\", not to workspace.slug \"{slug}\"");
        }

        RequireUuid(repository.Uuid, "repository.uuid", errors);
    }

    private static void ValidateRef(PipelineEvent message, List<string> errors)
    {
        if (message.Ref is null || string.IsNullOrWhiteSpace(message.Ref.Name))
        {
            errors.Add("ref.name: is required (a bare branch or tag name)");
            return;
        }

        if (message.Ref.Name.Length > MaxRefName)
        {
            errors.Add($"ref.name: is {message.Ref.Name.Length:N0} characters long, more than a branch or tag name has (at most {MaxRefName:N0})");
        }

        if (!Enum.IsDefined(message.Ref.Type))
        {
            errors.Add("ref.type: must be \"branch\" or \"tag\"");
        }
        else if (message.Kind == EventKind.Tag && message.Ref.Type != RefType.Tag)
        {
            errors.Add("ref.type: a tag event must name a tag");
        }
        else if (message.Kind == EventKind.Merge && message.Ref.Type != RefType.Branch)
        {
            errors.Add("ref.type: a merge event must name the branch merged into");
        }
    }

    private static void RequireUuid(string? value, string field, List<string> errors)
    {
        if (value is null || !BitbucketUuid.IsBraced(value))
        {
            errors.Add($"{field}: must be a UUID in braces, e.g. {{4f1e…}}");
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]{40}$")]
    private static partial Regex FullSha();


    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
    private static partial Regex Slug();
}
