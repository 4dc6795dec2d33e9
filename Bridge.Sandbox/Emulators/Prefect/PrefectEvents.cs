using System.Globalization;
using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// Flow-run state events in the shape of Prefect's <c>docs/v3/api-ref/events/flow-run-events.mdx</c>: the run as
/// resource (state name, type, message, timestamp), its flow, deployment and tags as related resources, and the
/// transition as payload.
/// </summary>
internal static class PrefectEvents
{
    public static JsonObject StateChange(Guid id, FlowRunRecord run, DeploymentRecord? deployment, FlowRunStateRecord? previous, Guid? follows)
    {
        var related = new JsonArray
        {
            new JsonObject
            {
                ["prefect.resource.id"] = $"prefect.flow.{run.FlowId}",
                ["prefect.resource.role"] = "flow",
                ["prefect.resource.name"] = deployment?.FlowName ?? "flow",
            },
        };
        if (run.DeploymentId is { } deploymentId)
        {
            related.Add(new JsonObject
            {
                ["prefect.resource.id"] = $"prefect.deployment.{deploymentId}",
                ["prefect.resource.role"] = "deployment",
                ["prefect.resource.name"] = deployment?.FullName ?? "deployment",
            });
        }

        foreach (var tag in run.Tags)
        {
            related.Add(new JsonObject { ["prefect.resource.id"] = $"prefect.tag.{tag}", ["prefect.resource.role"] = "tag" });
        }

        var state = run.State;
        return new JsonObject
        {
            ["occurred"] = Timestamp(state.Timestamp),
            ["event"] = $"prefect.flow-run.{state.Name}",
            ["resource"] = new JsonObject
            {
                ["prefect.resource.id"] = $"prefect.flow-run.{run.Id}",
                ["prefect.resource.name"] = run.Name,
                ["prefect.run-count"] = run.RunCount.ToString(CultureInfo.InvariantCulture),
                ["prefect.state-message"] = state.Message ?? string.Empty,
                ["prefect.state-name"] = state.Name,
                ["prefect.state-timestamp"] = Timestamp(state.Timestamp),
                ["prefect.state-type"] = state.Type,
            },
            ["related"] = related,
            ["payload"] = new JsonObject
            {
                ["intended"] = new JsonObject { ["from"] = previous?.Type, ["to"] = state.Type },
                ["initial_state"] = previous is null ? null : new JsonObject { ["type"] = previous.Type, ["name"] = previous.Name },
                ["validated_state"] = new JsonObject { ["type"] = state.Type, ["name"] = state.Name },
            },
            ["id"] = id.ToString(),
            ["follows"] = follows?.ToString(),
        };
    }

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
