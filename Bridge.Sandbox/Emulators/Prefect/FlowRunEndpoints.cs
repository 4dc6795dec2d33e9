using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// <c>GET /flow_runs/{id}</c> and <c>POST /flow_runs/{id}/set_state</c> (minimal orchestration: every proposed
/// state is accepted, 201).
/// </summary>
internal sealed class FlowRunEndpoints(PrefectStore store, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/flow_runs/{id}", (string id) => Read(id))
            .WithName(PrefectEndpoints.ReadFlowRun);
        api.MapPost("/flow_runs/{id}/set_state", (HttpContext context, string id) => SetStateAsync(context, id))
            .WithName(PrefectEndpoints.SetFlowRunState);
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
