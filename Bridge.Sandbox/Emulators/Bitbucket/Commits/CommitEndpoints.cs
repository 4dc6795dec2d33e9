using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// <c>GET /2.0/repositories/{workspace}/{repo_slug}/commit/{commit}</c>: the swagger's <c>commit</c>, found by its full
/// hash or an unambiguous prefix; 404 with Bitbucket's error body when the repository has no such commit.
/// </summary>
internal sealed class CommitEndpoints(CommitRegistry commits)
{
    public void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/repositories/{workspace}/{repo_slug}/commit/{commit}", (
                HttpContext context,
                string workspace,
                [FromRoute(Name = "repo_slug")] string repository,
                string commit) =>
                commits.Find(Uri.UnescapeDataString(workspace), Uri.UnescapeDataString(repository), Uri.UnescapeDataString(commit)) is { } found
                    ? Results.Json(Response(context.Request, found), BitbucketJsonContext.Wire.JsonNode)
                    : BitbucketResults.Error(StatusCodes.Status404NotFound, $"Commit {commit} not found in {workspace}/{repository}."))
            .WithName(BitbucketEndpoints.GetCommit);

    private static JsonObject Response(HttpRequest request, CommitRecord commit) => new()
    {
        ["type"] = "commit",
        ["hash"] = commit.Hash,
        ["date"] = commit.Date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture),
        ["message"] = commit.Message,
        ["author"] = new JsonObject { ["type"] = "author", ["raw"] = commit.Author },
        ["repository"] = new JsonObject
        {
            ["type"] = "repository",
            ["uuid"] = commit.RepositoryUuid,
            ["full_name"] = commit.RepositoryFullName,
            ["name"] = commit.RepositoryFullName.Split('/')[^1],
        },
        ["links"] = new JsonObject
        {
            ["self"] = new JsonObject { ["href"] = $"{request.Scheme}://{request.Host}/2.0/repositories/{FullName(commit)}/commit/{commit.Hash}" },
        },
        ["parents"] = new JsonArray(),
    };

    private static string FullName(CommitRecord commit) =>
        string.Join('/', commit.RepositoryFullName.Split('/').Select(Uri.EscapeDataString));
}
