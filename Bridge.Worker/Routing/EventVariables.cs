using System.Globalization;
using System.Text.Json.Nodes;
using Bridge.Contracts;
using Bridge.Worker.Triggers;

namespace Bridge.Worker.Routing;

/// <summary>The values a route's parameter templates can use, each with its JSON type.</summary>
internal static class EventVariables
{
    public static readonly IReadOnlyList<string> Names =
    [
        "eventId", "kind", "commit", "shortCommit", "ref.name", "ref.type", "repository.fullName", "repository.slug",
        "repository.uuid", "workspace.slug", "workspace.uuid", "pipelineUuid", "stepUuid", "buildNumber",
        "pullRequestId", "occurredAt", "route",
    ];

    /// <remarks>A webhook event has no pipeline: <c>pipelineUuid</c>, <c>stepUuid</c> and <c>buildNumber</c> are null for it.</remarks>
    public static IReadOnlyDictionary<string, JsonNode?> For(Trigger trigger, string route)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var step = trigger.Origin as PipelineStepOrigin;
        return new Dictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["eventId"] = trigger.Id.ToString(),
            ["kind"] = trigger.Kind == EventKind.Tag ? "tag" : "merge",
            ["commit"] = trigger.Commit,
            ["shortCommit"] = trigger.Commit[..12],
            ["ref.name"] = trigger.Ref.Name,
            ["ref.type"] = trigger.Ref.Type == RefType.Tag ? "tag" : "branch",
            ["repository.fullName"] = trigger.Repository.FullName,
            ["repository.slug"] = trigger.Repository.FullName.Split('/')[^1],
            ["repository.uuid"] = trigger.Repository.Uuid,
            ["workspace.slug"] = trigger.Workspace.Slug,
            ["workspace.uuid"] = trigger.Workspace.Uuid,
            ["pipelineUuid"] = step?.PipelineUuid,
            ["stepUuid"] = step?.StepUuid,
            ["buildNumber"] = step is null ? null : JsonValue.Create(step.BuildNumber),
            ["pullRequestId"] = trigger.PullRequestId is { } id ? JsonValue.Create(id) : null,
            ["occurredAt"] = trigger.OccurredAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            ["route"] = route,
        };
    }
}
