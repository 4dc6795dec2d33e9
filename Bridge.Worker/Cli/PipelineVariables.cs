using System.Globalization;
using Bridge.Contracts;
using Bridge.Worker.PipelineEvents;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Bridge.Worker.Cli;

/// <summary>
/// Makes the step's <c>PipelineEvent</c> from Bitbucket's default variables: a tag event when <c>BITBUCKET_TAG</c> is
/// set, else a merge into <c>BITBUCKET_BRANCH</c>. The workspace UUID comes from the token (Bitbucket sets no variable
/// for it); the worker verifies it.
/// </summary>
internal static class PipelineVariables
{
    public const string Token = "BITBUCKET_STEP_OIDC_TOKEN";

    public static (PipelineEvent? Event, IReadOnlyList<string> Errors) Read(Func<string, string?> variable, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var errors = new List<string>();
        string Required(string name)
        {
            var value = variable(name);
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{name} is not set: run `bridge publish` in a Bitbucket Pipelines step (or set it yourself).");
                return string.Empty;
            }

            return value.Trim();
        }

        var token = variable(Token);
        if (string.IsNullOrWhiteSpace(token))
        {
            errors.Add($"{Token} is not set: add `oidc: true` to this step in bitbucket-pipelines.yml.");
        }

        var commit = Required("BITBUCKET_COMMIT");
        if (commit.Length is > 0 and not 40)
        {
            errors.Add($"BITBUCKET_COMMIT is '{commit}', not a full 40-character hash; publish from a branch or tag pipeline, not a pull-request one.");
        }

        var tag = variable("BITBUCKET_TAG");
        var branch = variable("BITBUCKET_BRANCH");
        if (string.IsNullOrWhiteSpace(tag) && string.IsNullOrWhiteSpace(branch))
        {
            errors.Add("Neither BITBUCKET_TAG nor BITBUCKET_BRANCH is set: publish from a tag pipeline or from a branch pipeline (e.g. main after a merge).");
        }

        var fullName = Required("BITBUCKET_REPO_FULL_NAME");
        var repositoryUuid = Required("BITBUCKET_REPO_UUID");
        var workspace = variable("BITBUCKET_WORKSPACE") is { Length: > 0 } slug ? slug : fullName.Split('/')[0];
        var pipeline = Required("BITBUCKET_PIPELINE_UUID");
        var step = Required("BITBUCKET_STEP_UUID");
        var buildText = Required("BITBUCKET_BUILD_NUMBER");
        long build = 0;
        if (buildText.Length > 0 && !long.TryParse(buildText, NumberStyles.None, CultureInfo.InvariantCulture, out build))
        {
            errors.Add($"BITBUCKET_BUILD_NUMBER is '{buildText}', not a number.");
        }

        long? pullRequest = long.TryParse(variable("BITBUCKET_PR_ID"), NumberStyles.None, CultureInfo.InvariantCulture, out var pr) ? pr : null;
        var workspaceUuid = string.IsNullOrWhiteSpace(token) ? null : WorkspaceUuid(token);
        if (!string.IsNullOrWhiteSpace(token) && workspaceUuid is null)
        {
            errors.Add($"{Token} is not a Bitbucket step token (it has no workspaceUuid claim).");
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var isTag = !string.IsNullOrWhiteSpace(tag);
        var message = new PipelineEvent
        {
            Kind = isTag ? EventKind.Tag : EventKind.Merge,
            Workspace = new WorkspaceInfo { Slug = workspace, Uuid = workspaceUuid! },
            Repository = new RepositoryInfo { FullName = fullName, Uuid = repositoryUuid },
            Commit = commit,
            Ref = new GitRef { Name = isTag ? tag!.Trim() : branch!.Trim(), Type = isTag ? RefType.Tag : RefType.Branch },
            PipelineUuid = pipeline,
            StepUuid = step,
            BuildNumber = build,
            PullRequestId = isTag ? null : pullRequest,
            OccurredAt = now,
            OidcToken = token!.Trim(),
        };
        return (message with { EventId = EventIds.Of(message) }, errors);
    }

    private static string? WorkspaceUuid(string token)
    {
        try
        {
            return new JsonWebToken(token.Trim()).TryGetPayloadValue<string>("workspaceUuid", out var uuid) && !string.IsNullOrEmpty(uuid) ? uuid : null;
        }
        catch (Exception ex) when (ex is ArgumentException or Microsoft.IdentityModel.Tokens.SecurityTokenMalformedException)
        {
            return null;
        }
    }
}
