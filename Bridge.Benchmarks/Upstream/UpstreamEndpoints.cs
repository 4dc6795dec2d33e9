using System.Globalization;
using System.Text;
using Bridge.Benchmarks.Workload;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bridge.Benchmarks.Upstream;

/// <summary>
/// The calls Bridge makes, answered with bodies of the shapes in shared/contracts (only the fields Bridge reads, and a
/// few more): Bitbucket's OIDC discovery and keys, the pipeline read of the commit check, commit statuses; Prefect's
/// deployment by name, create_flow_run, the poll's filter, the watermark variable and the event stream. Anything else
/// is counted as <c>other</c> with its method and path, and answered 404.
/// </summary>
internal sealed class UpstreamEndpoints(BenchWorkspace workspace, CallLog log, RunEnds runEnds)
{
    public const string Discovery = "oidc discovery";
    public const string Keys = "oidc keys.json";
    public const string PipelineRead = "bitbucket GET pipeline";
    public const string StatusPost = "bitbucket POST commit status";
    public const string DeploymentByName = "prefect GET deployment by name";
    public const string CreateFlowRun = "prefect POST create_flow_run";
    public const string FlowRunFilter = "prefect POST flow_runs/filter";
    public const string Variables = "prefect variables";
    public const string EventStream = "prefect events/out websocket";

    static readonly Guid DeploymentId = Guid.Parse("7f1d6a0e-3b2c-4e5d-8f9a-0b1c2d3e4f5a");
    static readonly Guid FlowId = Guid.Parse("2a4c6e80-1b3d-4f5a-9c7e-8d0f1a2b3c4d");
    static readonly string Now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
    static readonly byte[] InProgressState = "\"INPROGRESS\""u8.ToArray();
    static readonly byte[] SuccessfulState = "\"SUCCESSFUL\""u8.ToArray();

    string? watermark;

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var bitbucket = app.MapGroup("/2.0");
        const string oidc = "/workspaces/{workspace}/pipelines-config/identity/oidc";
        bitbucket.MapGet(oidc + "/.well-known/openid-configuration", (HttpRequest request, string workspace) =>
        {
            log.Count(Discovery);
            var keys = $"{request.Scheme}://{request.Host}/2.0/workspaces/{workspace}/pipelines-config/identity/oidc/keys.json";
            return Json($$"""{"issuer":"{{BenchWorkspace.Issuer}}","jwks_uri":"{{keys}}","id_token_signing_alg_values_supported":["RS256"],"response_types_supported":["id_token"],"subject_types_supported":["public"]}""");
        });
        bitbucket.MapGet(oidc + "/keys.json", () =>
        {
            log.Count(Keys);
            return Json(workspace.Oidc.Jwks().ToJsonString());
        });
        bitbucket.MapGet("/repositories/{workspace}/{repository}/pipelines/{pipeline}", (string pipeline) =>
        {
            log.Count(PipelineRead);
            log.EventCall();
            return workspace.Pipeline(pipeline) is { } built
                ? Json($$"""{"type":"pipeline","uuid":"{{pipeline}}","build_number":1,"target":{"type":"pipeline_ref_target","ref_type":"tag","ref_name":"{{built.Tag}}","commit":{"type":"commit","hash":"{{built.Commit}}"} } }""")
                : Results.Json(new { type = "error", error = new { message = "Not found" } }, statusCode: StatusCodes.Status404NotFound);
        });
        bitbucket.MapPost("/repositories/{workspace}/{repository}/commit/{commit}/statuses/build", async (HttpRequest request, string commit) =>
        {
            log.Count(StatusPost);
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            var posted = body.GetBuffer().AsSpan(0, (int)body.Length);
            if (posted.IndexOf(InProgressState) >= 0)
            {
                log.InProgress(commit);
            }
            else if (posted.IndexOf(SuccessfulState) >= 0)
            {
                runEnds.FinalStatus(commit);
            }

            // A commit status echoes what was posted (key, state, name, url, description).
            return new EchoedStatus(body.ToArray());
        });

        var prefect = app.MapGroup("/api");
        prefect.MapGet("/deployments/name/{flow}/{deployment}", (string deployment) =>
        {
            log.Count(DeploymentByName);
            return Json($$"""{"id":"{{DeploymentId}}","created":"{{Now}}","updated":"{{Now}}","name":"{{deployment}}","flow_id":"{{FlowId}}","paused":false,"status":"READY","parameters":{},"tags":[],"labels":{},"work_pool_name":"bench-pool","work_queue_name":"default"}""");
        });
        prefect.MapPost("/deployments/{id}/create_flow_run", async (HttpRequest request) =>
        {
            log.Count(CreateFlowRun);
            var run = Guid.NewGuid();
            if (runEnds.IsOn)
            {
                using var body = await System.Text.Json.JsonDocument.ParseAsync(request.Body);
                runEnds.Created(run, body.RootElement.TryGetProperty("tags", out var tags)
                    ? [.. tags.EnumerateArray().Select(t => t.GetString() ?? string.Empty)]
                    : []);
            }
            else
            {
                await request.Body.CopyToAsync(Stream.Null);
            }

            return Json(
                $$"""{"id":"{{run}}","created":"{{Now}}","updated":"{{Now}}","name":"bench-run","flow_id":"{{FlowId}}","deployment_id":"{{DeploymentId}}","state_type":"SCHEDULED","state_name":"Scheduled","state":{"type":"SCHEDULED","name":"Scheduled","timestamp":"{{Now}}"},"tags":[],"labels":{},"expected_start_time":"{{Now}}","total_run_time":0.0,"work_pool_name":"bench-pool"}""",
                StatusCodes.Status201Created);
        });
        prefect.MapPost("/flow_runs/filter", async (HttpRequest request) =>
        {
            log.Count(FlowRunFilter);
            await request.Body.CopyToAsync(Stream.Null);
            return Json("[]");
        });
        MapVariables(prefect);
        prefect.Map("/events/out", new PrefectEventSocket(log, runEnds).ServeAsync);
        app.MapFallback((HttpRequest request) =>
        {
            log.Count($"other {request.Method} {request.Path}");
            return Results.NotFound();
        });
    }

    void MapVariables(RouteGroupBuilder prefect)
    {
        prefect.MapGet("/variables/name/{name}", (string name) =>
        {
            log.Count(Variables);
            return Volatile.Read(ref watermark) is { } value
                ? Json($$"""{"id":"{{Guid.Empty}}","name":"{{name}}","value":"{{value}}","tags":["bridge"]}""")
                : Results.NotFound();
        });
        prefect.MapMethods("/variables/name/{name}", ["PATCH"], async (HttpRequest request) =>
        {
            log.Count(Variables);
            return await WriteAsync(request) ? Results.NoContent() : Results.NotFound();
        });
        prefect.MapPost("/variables/", async (HttpRequest request) =>
        {
            log.Count(Variables);
            await WriteAsync(request);
            return Results.StatusCode(StatusCodes.Status201Created);
        });
    }

    /// <summary>Keeps the posted watermark's value; false when none was stored yet (a PATCH then answers 404).</summary>
    async Task<bool> WriteAsync(HttpRequest request)
    {
        var existed = Volatile.Read(ref watermark) is not null;
        using var body = await System.Text.Json.JsonDocument.ParseAsync(request.Body);
        Volatile.Write(ref watermark, body.RootElement.GetProperty("value").GetString());
        return existed;
    }

    static IResult Json(string body, int status = StatusCodes.Status200OK) =>
        Results.Text(body, "application/json", Encoding.UTF8, status);
}
