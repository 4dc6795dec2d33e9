using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// <c>GET /2.0/repositories/{workspace}/{repo_slug}/pipelines/{pipeline_uuid}</c>: the swagger's <c>pipeline</c> with a
/// <c>pipeline_ref_target</c>; 404 with Bitbucket's error body when the pipeline is not in that repository.
/// </summary>
internal sealed class PipelineEndpoints(PipelineRegistry pipelines)
{
    public void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/repositories/{workspace}/{repo_slug}/pipelines/{pipeline_uuid}", (
                HttpContext context,
                string workspace,
                [FromRoute(Name = "repo_slug")] string repository,
                [FromRoute(Name = "pipeline_uuid")] string pipelineUuid) =>
                pipelines.Find(Uri.UnescapeDataString(workspace), Uri.UnescapeDataString(repository), Uri.UnescapeDataString(pipelineUuid)) is { } pipeline
                    ? Results.Json(Response(pipeline), BitbucketJsonContext.Wire.JsonNode)
                    : BitbucketResults.Error(StatusCodes.Status404NotFound, $"Pipeline {pipelineUuid} not found in {workspace}/{repository}."))
            .WithName(BitbucketEndpoints.GetPipeline);

    private static JsonObject Response(PipelineRecord pipeline) => new()
    {
        ["type"] = "pipeline",
        ["uuid"] = pipeline.PipelineUuid,
        ["build_number"] = pipeline.BuildNumber,
        ["repository"] = new JsonObject
        {
            ["type"] = "repository",
            ["uuid"] = pipeline.RepositoryUuid,
            ["full_name"] = pipeline.RepositoryFullName,
            ["name"] = pipeline.RepositoryFullName.Split('/')[^1],
        },
        ["target"] = new JsonObject
        {
            ["type"] = "pipeline_ref_target",
            ["ref_type"] = pipeline.RefType,
            ["ref_name"] = pipeline.RefName,
            ["commit"] = new JsonObject { ["type"] = "commit", ["hash"] = pipeline.Commit },
            ["selector"] = new JsonObject { ["type"] = pipeline.RefType == "tag" ? "tags" : "branches", ["pattern"] = pipeline.RefName },
        },
        ["state"] = new JsonObject { ["type"] = "pipeline_state_in_progress", ["name"] = "IN_PROGRESS" },
        ["created_on"] = pipeline.CreatedOn.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture),
    };
}
