using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// <c>POST /work_pools/{work_pool_name}/workers/filter</c>: the pool's workers (<c>WorkerResponse</c>), filtered by
/// <c>workers.status.any_</c> when given; 404 <c>Work pool "…" not found.</c> when no deployment names the pool and no
/// worker joined it.
/// </summary>
internal sealed class WorkerEndpoints(PrefectStore store, WorkerStore workers)
{
    public void Map(IEndpointRouteBuilder api) =>
        api.MapPost(
                "/work_pools/{work_pool_name}/workers/filter",
                (HttpContext context, [FromRoute(Name = "work_pool_name")] string pool) => FilterAsync(context, pool))
            .WithName(PrefectEndpoints.ReadWorkers);

    private async Task<IResult> FilterAsync(HttpContext context, string pool)
    {
        var (request, invalid) = await PrefectRequestBody.ReadAsync(context, "Body_read_workers_work_pools__work_pool_name__workers_filter_post", optional: true);
        if (invalid is not null)
        {
            return invalid;
        }

        var members = workers.InPool(pool);
        if (members.Count == 0 && !store.Deployments().Any(d => d.WorkPoolName == pool))
        {
            return PrefectResults.Detail(StatusCodes.Status404NotFound, $"Work pool \"{pool}\" not found.");
        }

        var statuses = request!["workers"]?["status"]?["any_"] is JsonArray any ? any.Select(s => s!.GetValue<string>()).ToHashSet() : null;
        var answer = new JsonArray([.. members.Where(w => statuses is null || statuses.Contains(w.Status)).Select(w => (JsonNode)Response(w))]);
        return PrefectResults.Json(answer, StatusCodes.Status200OK);
    }

    private static JsonObject Response(WorkerRecord worker) => new()
    {
        ["id"] = worker.Id,
        ["created"] = PrefectEvents.Timestamp(worker.LastHeartbeatTime),
        ["updated"] = PrefectEvents.Timestamp(worker.LastHeartbeatTime),
        ["name"] = worker.Name,
        ["work_pool_id"] = worker.WorkPoolId,
        ["last_heartbeat_time"] = PrefectEvents.Timestamp(worker.LastHeartbeatTime),
        ["heartbeat_interval_seconds"] = 30,
        ["status"] = worker.Status,
    };
}
