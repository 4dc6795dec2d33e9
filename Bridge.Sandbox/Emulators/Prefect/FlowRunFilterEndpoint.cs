using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// <c>POST /flow_runs/filter</c>: filters (see <see cref="FlowRunFilter"/>), then sorts (<c>ID_DESC</c> by default),
/// then applies <c>offset</c> and <c>limit</c> (default and maximum 200; outside 0..200 is a 422).
/// </summary>
internal sealed class FlowRunFilterEndpoint(PrefectStore store, TimeProvider time)
{
    public const int MaxLimit = 200;

    public void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/flow_runs/filter", (Func<HttpContext, Task<IResult>>)HandleAsync).WithName(PrefectEndpoints.FilterFlowRuns);

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var (request, invalid) = await PrefectRequestBody.ReadAsync(context, "Body_read_flow_runs_flow_runs_filter_post", optional: true);
        if (invalid is not null)
        {
            return invalid;
        }

        var limit = request!["limit"] is JsonValue l ? l.GetValue<int>() : MaxLimit;
        if (limit is < 0 or > MaxLimit)
        {
            var (type, message, bound) = limit < 0
                ? ("greater_than_equal", "Input should be greater than or equal to 0", new JsonObject { ["ge"] = 0 })
                : ("less_than_equal", $"Input should be less than or equal to {MaxLimit}", new JsonObject { ["le"] = MaxLimit });
            return PrefectResults.Invalid([PrefectResults.ErrorEntry(type, ["body", "limit"], message, JsonValue.Create(limit), bound)], request);
        }

        var offset = request["offset"] is JsonValue o ? o.GetValue<int>() : 0;
        var sort = request["sort"] is JsonValue s ? s.GetValue<string>() : "ID_DESC";
        var now = time.GetUtcNow();
        var runs = Sort(store.FlowRuns().Where(run => FlowRunFilter.Matches(run, request["flow_runs"] as JsonObject)), sort)
            .Skip(offset)
            .Take(limit)
            .Select(run => PrefectResponses.FlowRun(run, now))
            .ToList();
        return Results.Json(runs, PrefectJsonContext.Wire.ListFlowRunResponse);
    }

    private static IEnumerable<FlowRunRecord> Sort(IEnumerable<FlowRunRecord> runs, string sort) => sort switch
    {
        "START_TIME_ASC" => runs.OrderBy(r => r.StartTime ?? DateTimeOffset.MaxValue),
        "START_TIME_DESC" => runs.OrderByDescending(r => r.StartTime ?? DateTimeOffset.MinValue),
        "EXPECTED_START_TIME_ASC" => runs.OrderBy(r => r.ExpectedStartTime),
        "EXPECTED_START_TIME_DESC" => runs.OrderByDescending(r => r.ExpectedStartTime),
        "NAME_ASC" => runs.OrderBy(r => r.Name, StringComparer.Ordinal),
        "NAME_DESC" => runs.OrderByDescending(r => r.Name, StringComparer.Ordinal),
        "NEXT_SCHEDULED_START_TIME_ASC" => runs.OrderBy(r => r.State.ScheduledTime ?? DateTimeOffset.MaxValue),
        "END_TIME_DESC" => runs.OrderByDescending(r => r.EndTime ?? DateTimeOffset.MinValue),
        _ => runs.OrderByDescending(r => r.Id.ToString(), StringComparer.Ordinal),
    };
}
