using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Bridge.Sandbox.Emulators;

/// <summary><c>GET /deployments/name/{flow_name}/{deployment_name}</c> and <c>GET /deployments/{id}</c>.</summary>
internal sealed class DeploymentEndpoints(PrefectStore store)
{
    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet(
                "/deployments/name/{flow_name}/{deployment_name}",
                ([FromRoute(Name = "flow_name")] string flowName, [FromRoute(Name = "deployment_name")] string deploymentName) =>
                    Answer(store.FindDeployment(flowName, deploymentName)))
            .WithName(PrefectEndpoints.ReadDeploymentByName);

        api.MapGet(
                "/deployments/{id}",
                (string id) => Guid.TryParse(id, out var deploymentId)
                    ? Answer(store.FindDeployment(deploymentId))
                    : PrefectPathErrors.InvalidUuid("id", id))
            .WithName(PrefectEndpoints.ReadDeployment);
    }

    private static IResult Answer(DeploymentRecord? deployment) =>
        deployment is null
            ? PrefectResults.DeploymentNotFound()
            : Results.Json(PrefectResponses.Deployment(deployment), PrefectJsonContext.Wire.DeploymentResponse);
}
