using System.Globalization;
using System.Text.Json.Nodes;
using Bridge.Contracts;
using Bridge.Worker.Dispatch;
using Bridge.Worker.Observability;
using Bridge.Worker.Prefect;
using Bridge.Worker.Routing;

namespace Bridge.Worker.Correlation;

/// <summary>
/// For routes with <c>cancelSuperseded: true</c>: a newer merge of the same repository, branch and route cancels the
/// older runs that have not finished (one filter call), and their statuses become STOPPED "superseded by &lt;sha&gt;".
/// "Older" is by build number (then by creation time, within one build); an event delivered again cancels nothing,
/// and an old event delivered late cancels nothing newer.
/// </summary>
internal sealed class SupersededRuns(IPrefectClient prefect, StatusReporter reporter, BridgeMetrics metrics, ILogger<SupersededRuns> logger)
{
    public async Task CancelOlderAsync(PipelineEvent message, RouteDefinition route, PrefectFlowRun newer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(newer);
        var criteria = new JsonObject
        {
            ["tags"] = new JsonObject { ["all_"] = new JsonArray(CorrelationLabels.Tag, CorrelationLabels.RouteTagPrefix + route.Name) },
            ["state"] = new JsonObject
            {
                ["type"] = new JsonObject { ["not_any_"] = new JsonArray([.. PrefectStateTypes.Terminal.Select(t => JsonValue.Create(t)), JsonValue.Create(PrefectStateTypes.Cancelling)]) },
            },
        };
        var runs = await prefect.FilterFlowRunsAsync(new FlowRunQuery(criteria, "ID_DESC", FlowRunQuery.MaxLimit, 0), cancellationToken);
        var superseded = StatusText.Superseded(message.Commit);
        foreach (var older in runs.Where(r => r.Id != newer.Id && IsSupersededBy(r, message, newer)))
        {
            if (CorrelatedRun.From(older) is not { } correlated)
            {
                continue;
            }

            // Cancel under the run's status lock: the Cancelled event this causes must not post its own status first.
            await reporter.ReportAsync(
                correlated,
                superseded,
                alreadyReported: null,
                "superseded",
                token => CancelAsync(older, route, message, newer, superseded.Description, token),
                cancellationToken);
        }
    }

    private async Task<bool> CancelAsync(
        PrefectFlowRun older, RouteDefinition route, PipelineEvent message, PrefectFlowRun newer, string reason, CancellationToken cancellationToken)
    {
        var result = await prefect.SetFlowRunStateAsync(older.Id, PrefectStateTypes.Cancelling, "Cancelling", reason, cancellationToken);
        if (result is null || result.Status is not ("ACCEPT" or null))
        {
            logger.LogInformation("Flow run {FlowRunId}: Prefect did not accept cancelling it ({Status})", older.Id, result?.Status ?? "not found");
            return false;
        }

        metrics.Superseded(route.Name);
        logger.LogInformation(
            "Route {Route}: flow run {FlowRunId} on {Commit} cancelled, superseded by {NewCommit} (flow run {NewFlowRunId})",
            route.Name, older.Id, older.Label(CorrelationLabels.Commit), message.Commit, newer.Id);
        return true;
    }

    private static bool IsSupersededBy(PrefectFlowRun run, PipelineEvent message, PrefectFlowRun newer) =>
        run.Label(CorrelationLabels.Kind) == "merge"
        && string.Equals(run.Label(CorrelationLabels.RepositoryUuid), message.Repository.Uuid, StringComparison.OrdinalIgnoreCase)
        && run.Label(CorrelationLabels.Ref) == message.Ref.Name
        && !string.Equals(run.Label(CorrelationLabels.Commit), message.Commit, StringComparison.OrdinalIgnoreCase)
        && long.TryParse(run.Label(CorrelationLabels.BuildNumber), NumberStyles.Integer, CultureInfo.InvariantCulture, out var build)
        && (build < message.BuildNumber || (build == message.BuildNumber && run.Created < newer.Created));
}
