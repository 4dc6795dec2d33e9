using System.Globalization;
using System.Text.Json.Nodes;
using Bridge.Contracts;

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
    public static IReadOnlyDictionary<string, JsonNode?> For(PipelineEvent message, Guid eventId, string route)
    {
        var fromPipeline = Webhooks.WebhookEvents.RequestUuid(message) is null;
        return new Dictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["eventId"] = eventId.ToString(),
            ["kind"] = message.Kind == EventKind.Tag ? "tag" : "merge",
            ["commit"] = message.Commit,
            ["shortCommit"] = message.Commit[..12],
            ["ref.name"] = message.Ref.Name,
            ["ref.type"] = message.Ref.Type == RefType.Tag ? "tag" : "branch",
            ["repository.fullName"] = message.Repository.FullName,
            ["repository.slug"] = message.Repository.FullName.Split('/')[^1],
            ["repository.uuid"] = message.Repository.Uuid,
            ["workspace.slug"] = message.Workspace.Slug,
            ["workspace.uuid"] = message.Workspace.Uuid,
            ["pipelineUuid"] = fromPipeline ? message.PipelineUuid : null,
            ["stepUuid"] = fromPipeline ? message.StepUuid : null,
            ["buildNumber"] = fromPipeline ? JsonValue.Create(message.BuildNumber) : null,
            ["pullRequestId"] = message.PullRequestId is { } id ? JsonValue.Create(id) : null,
            ["occurredAt"] = message.OccurredAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            ["route"] = route,
        };
    }
}
