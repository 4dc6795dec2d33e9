using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// <c>POST /deployments/{id}/create_flow_run</c>, in the server's order: body (422), deployment (404), parameters
/// merged over the deployment's and checked against its schema when enforced (409), then the idempotency lookup per
/// (flow, key): 201 with a new run, or 200 with the original run unchanged.
/// </summary>
internal sealed class CreateFlowRunEndpoint(PrefectStore store, ParameterSchemaValidator parameterSchemas, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/deployments/{id}/create_flow_run", (HttpContext context, string id) => HandleAsync(context, id))
            .WithName(PrefectEndpoints.CreateFlowRun);

    private async Task<IResult> HandleAsync(HttpContext context, string id)
    {
        if (!Guid.TryParse(id, out var deploymentId))
        {
            return PrefectPathErrors.InvalidUuid("id", id);
        }

        var (request, invalid) = await PrefectRequestBody.ReadAsync(context, "DeploymentFlowRunCreate", optional: false);
        if (invalid is not null)
        {
            return invalid;
        }

        var deployment = store.FindDeployment(deploymentId);
        if (deployment is null)
        {
            return PrefectResults.DeploymentNotFound();
        }

        var parameters = deployment.Parameters.DeepClone().AsObject();
        if (request!["parameters"] is JsonObject overrides)
        {
            foreach (var (name, value) in overrides)
            {
                parameters[name] = value?.DeepClone();
            }
        }

        var enforce = request["enforce_parameter_schema"] is JsonValue flag ? flag.GetValue<bool>() : deployment.EnforceParameterSchema;
        if (enforce && deployment.ParameterSchema is { } schema
            && await parameterSchemas.ValidateAsync(deployment, schema, parameters) is { } failure)
        {
            return PrefectResults.Detail(StatusCodes.Status409Conflict, $"Error creating flow run: {failure}");
        }

        var key = request["idempotency_key"] is JsonValue k ? k.GetValue<string>() : null;
        var (run, created) = store.CreateFlowRun(
            deployment.FlowId, key, () => FlowRunFactory.Create(deployment, request, parameters, time.GetUtcNow()));
        context.Items[PrefectRules.FlowRunIdKey] = run.Id;
        return Results.Json(
            PrefectResponses.FlowRun(run, time.GetUtcNow()),
            PrefectJsonContext.Wire.FlowRunResponse,
            statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }
}
