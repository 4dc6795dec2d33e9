using System.Globalization;
using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// Builds the flow run that <c>create_flow_run</c> inserts, from the deployment and a request body that already
/// passed <c>DeploymentFlowRunCreate</c>: tags are the union of the deployment's and the request's, labels are the
/// request's plus <c>prefect.flow.id</c>/<c>prefect.deployment.id</c>, no state means Scheduled now.
/// </summary>
internal static class FlowRunFactory
{
    public static FlowRunRecord Create(DeploymentRecord deployment, JsonObject request, JsonObject parameters, DateTimeOffset now)
    {
        var id = Guid.NewGuid();
        var state = InitialState(request["state"] as JsonObject, now);
        var terminal = StateTypes.IsTerminal(state.Type);
        var running = state.Type == StateTypes.Running;
        return new FlowRunRecord
        {
            Id = id,
            FlowId = deployment.FlowId,
            DeploymentId = deployment.Id,
            Name = Text(request["name"]) ?? RunNameGenerator.Next(),
            Parameters = parameters.DeepClone().AsObject(),
            Tags = deployment.Tags.Union(Strings(request["tags"]), StringComparer.Ordinal).ToList(),
            Labels = Labels(request["labels"] as JsonObject, deployment),
            IdempotencyKey = Text(request["idempotency_key"]),
            State = state,
            Context = (request["context"] as JsonObject)?.DeepClone().AsObject() ?? [],
            JobVariables = (request["job_variables"] as JsonObject)?.DeepClone().AsObject() ?? [],
            EmpiricalPolicy = (request["empirical_policy"] as JsonObject)?.DeepClone().AsObject() ?? DefaultEmpiricalPolicy(),
            WorkPoolName = deployment.WorkPoolName,
            WorkQueueName = Text(request["work_queue_name"]) ?? deployment.WorkQueueName,
            Created = now,
            Updated = now,
            ExpectedStartTime = state.ScheduledTime ?? now,
            StartTime = running || terminal ? now : null,
            EndTime = terminal ? now : null,
            RunCount = running ? 1 : 0,
        };
    }

    private static FlowRunStateRecord InitialState(JsonObject? state, DateTimeOffset now)
    {
        var type = Text(state?["type"]) ?? StateTypes.Scheduled;
        var scheduled = type == StateTypes.Scheduled
            ? Timestamp(state?["state_details"]?["scheduled_time"]) ?? now
            : (DateTimeOffset?)null;
        return new FlowRunStateRecord(
            Guid.NewGuid(), type, Text(state?["name"]) ?? StateTypes.DefaultName(type), now, Text(state?["message"]), scheduled);
    }

    private static JsonObject Labels(JsonObject? requested, DeploymentRecord deployment)
    {
        var labels = requested?.DeepClone().AsObject() ?? [];
        labels["prefect.flow.id"] = deployment.FlowId.ToString();
        labels["prefect.deployment.id"] = deployment.Id.ToString();
        return labels;
    }

    private static JsonObject DefaultEmpiricalPolicy() => new()
    {
        ["max_retries"] = 0,
        ["retry_delay_seconds"] = 0.0,
        ["retries"] = null,
        ["retry_delay"] = null,
        ["pause_keys"] = new JsonArray(),
        ["resuming"] = false,
        ["retry_type"] = null,
    };

    private static string? Text(JsonNode? node) => node is JsonValue value ? value.GetValue<string>() : null;

    private static IEnumerable<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(item => item!.GetValue<string>()) : [];

    private static DateTimeOffset? Timestamp(JsonNode? node) =>
        Text(node) is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : null;
}
