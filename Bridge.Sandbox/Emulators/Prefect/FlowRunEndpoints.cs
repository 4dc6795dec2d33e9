using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// <c>GET /flow_runs/{id}</c>, <c>DELETE /flow_runs/{id}</c> (204), <c>PATCH /flow_runs/{id}/labels</c> (merges, 204)
/// and <c>POST /flow_runs/{id}/set_state</c> (minimal orchestration: every proposed state is accepted, 201, except
/// that cancelling a run that never started makes it Cancelled at once, as Prefect's rules do).
/// </summary>
internal sealed class FlowRunEndpoints(PrefectStore store, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/flow_runs/{id}", (string id) => Read(id))
            .WithName(PrefectEndpoints.ReadFlowRun);
        api.MapPost("/flow_runs/{id}/set_state", (HttpContext context, string id) => SetStateAsync(context, id))
            .WithName(PrefectEndpoints.SetFlowRunState);
        api.MapDelete("/flow_runs/{id}", (string id) => Delete(id))
            .WithName(PrefectEndpoints.DeleteFlowRun);
        api.MapPatch("/flow_runs/{id}/labels", (HttpContext context, string id) => UpdateLabels(context, id))
            .WithName(PrefectEndpoints.UpdateFlowRunLabels);
    }

    private IResult Delete(string id)
    {
        if (!Guid.TryParse(id, out var flowRunId))
        {
            return PrefectPathErrors.InvalidUuid("id", id);
        }

        return store.DeleteFlowRun(flowRunId) ? Results.NoContent() : PrefectResults.FlowRunNotFound();
    }

    private IResult UpdateLabels(HttpContext context, string id)
    {
        if (!Guid.TryParse(id, out var flowRunId))
        {
            return PrefectPathErrors.InvalidUuid("id", id);
        }

        JsonNode? body;
        try
        {
            body = JsonNode.Parse(EmulatorGate.Body(context));
        }
        catch (System.Text.Json.JsonException)
        {
            body = null;
        }

        if (body is not JsonObject labels
            || labels.Any(l => l.Value is not JsonValue v || v.GetValueKind() is not (System.Text.Json.JsonValueKind.String
                or System.Text.Json.JsonValueKind.Number or System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False)))
        {
            return PrefectResults.Invalid(
                [PrefectResults.ErrorEntry("dict_type", ["body"], "Input should be a valid dictionary of str, int, float or bool", body)], body);
        }

        return store.UpdateLabels(flowRunId, labels) is null ? PrefectResults.FlowRunNotFound() : Results.NoContent();
    }

    private IResult Read(string id)
    {
        if (!Guid.TryParse(id, out var flowRunId))
        {
            return PrefectPathErrors.InvalidUuid("id", id);
        }

        return store.FindFlowRun(flowRunId) is { } run
            ? Results.Json(PrefectResponses.FlowRun(run, time.GetUtcNow()), PrefectJsonContext.Wire.FlowRunResponse)
            : PrefectResults.FlowRunNotFound();
    }

    private async Task<IResult> SetStateAsync(HttpContext context, string id)
    {
        if (!Guid.TryParse(id, out var flowRunId))
        {
            return PrefectPathErrors.InvalidUuid("id", id);
        }

        var (request, invalid) = await PrefectRequestBody.ReadAsync(
            context, "Body_set_flow_run_state_flow_runs__id__set_state_post", optional: false);
        if (invalid is not null)
        {
            return invalid;
        }

        var state = request!["state"]!.AsObject();
        var scheduled = state["state_details"]?["scheduled_time"] is JsonValue t
            ? DateTimeOffset.Parse(t.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : (DateTimeOffset?)null;
        var run = store.SetState(
            flowRunId,
            state["type"]!.GetValue<string>(),
            state["name"] is JsonValue name ? name.GetValue<string>() : null,
            state["message"] is JsonValue message ? message.GetValue<string>() : null,
            scheduled);
        if (run is null)
        {
            return PrefectResults.FlowRunNotFound();
        }

        var result = new OrchestrationResultResponse(PrefectResponses.State(run.State, run.Id), "ACCEPT", new AcceptDetailsResponse());
        return Results.Json(result, PrefectJsonContext.Wire.OrchestrationResultResponse, statusCode: StatusCodes.Status201Created);
    }
}
