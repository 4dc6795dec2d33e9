using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// <c>GET /2.0/repositories/{workspace}/{repo_slug}/pipelines/{pipeline_uuid}</c>: the swagger's <c>pipeline</c> with a
/// <c>pipeline_ref_target</c>; 404 with Bitbucket's error body when the pipeline is not in that repository. And
/// <c>GET …/pipelines</c>: one page (<c>page</c>, <c>pagelen</c> up to 100) of the repository's pipelines, oldest first or
/// newest first with <c>sort=-created_on</c>.
/// </summary>
internal sealed class PipelineEndpoints(PipelineRegistry pipelines)
{
    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/repositories/{workspace}/{repo_slug}/pipelines/{pipeline_uuid}", (
                HttpContext context,
                string workspace,
                [FromRoute(Name = "repo_slug")] string repository,
                [FromRoute(Name = "pipeline_uuid")] string pipelineUuid) =>
                pipelines.Find(Uri.UnescapeDataString(workspace), Uri.UnescapeDataString(repository), Uri.UnescapeDataString(pipelineUuid)) is { } pipeline
                    ? Results.Json(Response(pipeline), BitbucketJsonContext.Wire.JsonNode)
                    : BitbucketResults.Error(StatusCodes.Status404NotFound, $"Pipeline {pipelineUuid} not found in {workspace}/{repository}."))
            .WithName(BitbucketEndpoints.GetPipeline);
        api.MapGet("/repositories/{workspace}/{repo_slug}/pipelines", (
                HttpContext context, string workspace, [FromRoute(Name = "repo_slug")] string repository) =>
                List(context.Request, Uri.UnescapeDataString(workspace), Uri.UnescapeDataString(repository)))
            .WithName(BitbucketEndpoints.ListPipelines);
    }

    private IResult List(HttpRequest request, string workspace, string repository)
    {
        var page = int.TryParse(request.Query["page"], CultureInfo.InvariantCulture, out var p) && p >= 1 ? p : 1;
        var pagelen = int.TryParse(request.Query["pagelen"], CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 100) : 10;
        var all = pipelines.InRepository(workspace, repository);
        var ordered = request.Query["sort"] == "-created_on" ? all.Reverse() : all;
        var body = new JsonObject
        {
            ["page"] = page,
            ["pagelen"] = pagelen,
            ["size"] = all.Count,
            ["values"] = new JsonArray([.. ordered.Skip((page - 1) * pagelen).Take(pagelen).Select(r => (JsonNode)Response(r))]),
        };
        return Results.Json(body, BitbucketJsonContext.Wire.JsonNode);
    }

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
