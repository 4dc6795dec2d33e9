using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// <c>POST …/commit/{commit}/statuses/build</c> (create or overwrite by key, 201 both ways),
/// <c>GET …/statuses/build/{key}</c> and <c>GET …/statuses</c> (paginated, optional <c>refname</c>).
/// </summary>
internal sealed class CommitStatusEndpoints(BitbucketStore store, TimeProvider time)
{
    private const string Commit = "/repositories/{workspace}/{repo_slug}/commit/{commit}";

    public void Map(IEndpointRouteBuilder api)
    {
        api.MapPost(Commit + "/statuses/build", (HttpContext context, string workspace, [FromRoute(Name = "repo_slug")] string repository, string commit) =>
                PostAsync(context, workspace, repository, commit))
            .WithName(BitbucketEndpoints.PostBuildStatus);
        api.MapGet(Commit + "/statuses/build/{key}", (HttpContext context, string workspace, [FromRoute(Name = "repo_slug")] string repository, string commit, string key) =>
                store.Find(workspace, repository, commit, key) is { } status
                    ? Results.Json(Response(context.Request, status), BitbucketJsonContext.Wire.CommitStatusResponse)
                    : BitbucketResults.Error(StatusCodes.Status404NotFound, $"No build status with key '{key}' on commit {commit}."))
            .WithName(BitbucketEndpoints.GetBuildStatus);
        api.MapGet(Commit + "/statuses", (HttpContext context, string workspace, [FromRoute(Name = "repo_slug")] string repository, string commit) =>
                List(context.Request, workspace, repository, commit))
            .WithName(BitbucketEndpoints.ListStatuses);
    }

    private async Task<IResult> PostAsync(HttpContext context, string workspace, string repository, string commit)
    {
        var text = EmulatorGate.Body(context);
        JsonNode? node;
        try
        {
            node = string.IsNullOrWhiteSpace(text) ? new JsonObject() : JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            return BitbucketResults.Error(StatusCodes.Status400BadRequest, $"JSON parse error - {e.Message}");
        }

        if (node is not JsonObject body)
        {
            return BitbucketResults.Error(StatusCodes.Status400BadRequest, "Invalid data. Expected a dictionary.");
        }

        var errors = await CommitStatusValidator.ValidateAsync(string.IsNullOrWhiteSpace(text) ? "{}" : text, body);
        if (errors.Count > 0)
        {
            return BitbucketResults.Fields(errors);
        }

        var now = time.GetUtcNow();
        var stored = store.Upsert(new CommitStatusRecord
        {
            Workspace = workspace,
            Repository = repository,
            Commit = commit,
            Key = body["key"]!.GetValue<string>(),
            State = body["state"]!.GetValue<string>(),
            Name = Text(body["name"]),
            Description = Text(body["description"]),
            Url = body["url"]!.GetValue<string>(),
            Refname = Text(body["refname"]),
            Uuid = Guid.NewGuid(),
            CreatedOn = now,
            UpdatedOn = now,
        });
        return Results.Json(Response(context.Request, stored), BitbucketJsonContext.Wire.CommitStatusResponse, statusCode: StatusCodes.Status201Created);
    }

    private IResult List(HttpRequest request, string workspace, string repository, string commit)
    {
        var refname = request.Query["refname"].ToString();
        var page = Math.Max(1, Number(request.Query["page"], 1));
        var pagelen = Math.Clamp(Number(request.Query["pagelen"], 10), 1, 100);
        var matching = store.All()
            .Where(s => s.Workspace == workspace && s.Repository == repository && s.Commit == commit)
            .Where(s => refname.Length == 0 || s.Refname is null || s.Refname == refname)
            .OrderBy(s => s.CreatedOn)
            .ToList();
        var values = matching.Skip((page - 1) * pagelen).Take(pagelen).Select(s => Response(request, s)).ToList();
        var self = $"{ApiBase(request)}/repositories/{Segment(workspace)}/{Segment(repository)}/commit/{commit}/statuses";
        string PageLink(int n) => $"{self}?page={n}&pagelen={pagelen}" + (refname.Length > 0 ? $"&refname={Uri.EscapeDataString(refname)}" : string.Empty);
        var result = new PaginatedCommitStatuses(
            values,
            pagelen,
            matching.Count,
            page,
            page * pagelen < matching.Count ? PageLink(page + 1) : null,
            page > 1 ? PageLink(page - 1) : null);
        return Results.Json(result, BitbucketJsonContext.Wire.PaginatedCommitStatuses);
    }

    private static CommitStatusResponse Response(HttpRequest request, CommitStatusRecord status)
    {
        var commit = $"{ApiBase(request)}/repositories/{Segment(status.Workspace)}/{Segment(status.Repository)}/commit/{status.Commit}";
        return new CommitStatusResponse
        {
            Key = status.Key,
            State = status.State,
            Name = status.Name,
            Description = status.Description,
            Url = status.Url,
            Refname = status.Refname,
            CreatedOn = status.CreatedOn,
            UpdatedOn = status.UpdatedOn,
            Uuid = "{" + status.Uuid + "}",
            Links = new CommitStatusLinks(
                new LinkResponse($"{commit}/statuses/build/{Uri.EscapeDataString(status.Key)}"),
                new LinkResponse(commit)),
        };
    }

    private static string ApiBase(HttpRequest request) => $"{request.Scheme}://{request.Host}/2.0";

    private static string Segment(string value) => Uri.EscapeDataString(value);

    private static string? Text(JsonNode? node) => node is JsonValue value ? value.GetValue<string>() : null;

    private static int Number(string? text, int fallback) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : fallback;
}
