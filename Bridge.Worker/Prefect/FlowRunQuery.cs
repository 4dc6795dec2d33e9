using System.Text.Json.Nodes;

namespace Bridge.Worker.Prefect;

/// <summary>One page of a <c>POST /flow_runs/filter</c>: the <c>flow_runs</c> criteria, the sort and the page.</summary>
internal sealed record FlowRunQuery(JsonObject FlowRuns, string Sort, int Limit, int Offset)
{
    /// <summary>Prefect's largest page (<c>PREFECT_SERVER_API_DEFAULT_LIMIT</c>).</summary>
    public const int MaxLimit = 200;

    public JsonObject Body() => new()
    {
        ["flow_runs"] = FlowRuns.DeepClone(),
        ["sort"] = Sort,
        ["limit"] = Limit,
        ["offset"] = Offset,
    };
}
