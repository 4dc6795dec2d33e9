using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bridge.Worker.Prefect;

/// <summary>The calls that follow flow runs after they were created: reads, filters, state, labels, variables.</summary>
internal sealed partial class PrefectClient
{
    public async Task<PrefectDeployment?> ReadDeploymentAsync(Guid deploymentId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"deployments/{deploymentId}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, $"read deployment {deploymentId}", cancellationToken);
        return await ReadAsync(response, PrefectJsonContext.Default.PrefectDeployment, cancellationToken);
    }

    public async Task<PrefectFlowRun?> ReadFlowRunAsync(Guid flowRunId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"flow_runs/{flowRunId}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, $"read flow run {flowRunId}", cancellationToken);
        return await ReadAsync(response, PrefectJsonContext.Default.PrefectFlowRun, cancellationToken);
    }

    public async Task<IReadOnlyList<PrefectFlowRun>> FilterFlowRunsAsync(FlowRunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var content = Json(query.Body());
        using var response = await http.PostAsync("flow_runs/filter", content, cancellationToken);
        await EnsureSuccessAsync(response, "filter flow runs", cancellationToken);
        return await ReadAsync(response, PrefectJsonContext.Default.ListPrefectFlowRun, cancellationToken);
    }

    public async Task<PrefectOrchestrationResult?> SetFlowRunStateAsync(
        Guid flowRunId, string type, string name, string? message, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["state"] = new JsonObject { ["type"] = type, ["name"] = name, ["message"] = message },
            ["force"] = false,
        };
        using var content = Json(body);
        using var response = await http.PostAsync($"flow_runs/{flowRunId}/set_state", content, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, $"set the state of flow run {flowRunId} to {type}", cancellationToken);
        return await ReadAsync(response, PrefectJsonContext.Default.PrefectOrchestrationResult, cancellationToken);
    }

    public async Task UpdateFlowRunLabelsAsync(Guid flowRunId, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var body = new JsonObject();
        foreach (var (key, value) in labels)
        {
            body[key] = value;
        }

        using var content = Json(body);
        using var response = await http.PatchAsync($"flow_runs/{flowRunId}/labels", content, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }

        await EnsureSuccessAsync(response, $"label flow run {flowRunId}", cancellationToken);
    }

    public async Task<string?> ReadVariableAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"variables/name/{Uri.EscapeDataString(name)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, $"read variable '{name}'", cancellationToken);
        var variable = await ReadAsync(response, PrefectJsonContext.Default.PrefectVariable, cancellationToken);
        return variable.Value.ValueKind switch
        {
            JsonValueKind.String => variable.Value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => variable.Value.GetRawText(),
        };
    }

    public async Task WriteVariableAsync(string name, string value, CancellationToken cancellationToken)
    {
        using (var update = Json(new JsonObject { ["value"] = value }))
        using (var response = await http.PatchAsync($"variables/name/{Uri.EscapeDataString(name)}", update, cancellationToken))
        {
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                await EnsureSuccessAsync(response, $"update variable '{name}'", cancellationToken);
                return;
            }
        }

        using var create = Json(new JsonObject { ["name"] = name, ["value"] = value, ["tags"] = new JsonArray("bridge") });
        using var created = await http.PostAsync("variables/", create, cancellationToken);
        if (created.StatusCode == HttpStatusCode.Conflict)
        {
            // Another worker created it in between; the next write updates it.
            return;
        }

        await EnsureSuccessAsync(created, $"create variable '{name}'", cancellationToken);
    }

    /// <summary>A buffered JSON body (with Content-Length).</summary>
    private static ByteArrayContent Json(JsonNode body)
    {
        var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>Prefect's timestamp format for filters.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
