using System.Globalization;
using System.Text.Json.Nodes;
using Bridge.Worker.Observability;
using Bridge.Worker.Prefect;
using Bridge.Worker.Routing;
using Bridge.Worker.Triggers;

namespace Bridge.Worker.Correlation;

/// <summary>
/// For routes with <c>cancelSuperseded: true</c>: a newer merge of the same repository, branch and route cancels the
/// older runs that have not finished (one filter call), and their statuses become STOPPED "superseded by &lt;sha&gt;".
/// "Older" is by build number (then by creation time, within one build), so only a pipeline step can supersede; an
/// event delivered again cancels nothing, and an old event delivered late cancels nothing newer.
/// </summary>
internal sealed class SupersededRuns(IPrefectClient prefect, StatusReporter reporter, BridgeMetrics metrics, ILogger<SupersededRuns> logger)
{
    public async Task CancelOlderAsync(Trigger trigger, PipelineStepOrigin step, RouteDefinition route, PrefectFlowRun newer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(newer);
        var criteria = new JsonObject
        {
            ["tags"] = new JsonObject { ["all_"] = new JsonArray(RunLabels.Tag, RunLabels.RouteTagPrefix + route.Name) },
            ["state"] = new JsonObject
            {
                ["type"] = new JsonObject { ["not_any_"] = new JsonArray([.. PrefectStateTypes.Terminal.Select(t => JsonValue.Create(t)), JsonValue.Create(PrefectStateTypes.Cancelling)]) },
            },
        };
        var runs = await prefect.FilterFlowRunsAsync(new FlowRunQuery(criteria, "ID_DESC", FlowRunQuery.MaxLimit, 0), cancellationToken);
        var superseded = StatusText.Superseded(trigger.Commit);
        foreach (var older in runs.Where(r => r.Id != newer.Id && IsSupersededBy(r, trigger, step, newer)))
        {
            if (RunLabels.Read(older) is not { } correlated)
            {
                continue;
            }

            // Cancel under the run's status lock: the Cancelled event this causes must not post its own status first.
            var post = new StatusPost(correlated, superseded, ReportPath.Superseded)
            {
                Before = token => CancelAsync(older, route, trigger, newer, superseded.Description, token),
            };
            await reporter.ReportAsync(post, cancellationToken);
        }
    }

    private async Task<bool> CancelAsync(
        PrefectFlowRun older, RouteDefinition route, Trigger trigger, PrefectFlowRun newer, string reason, CancellationToken cancellationToken)
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
            route.Name, older.Id, older.Label(RunLabels.Commit), trigger.Commit, newer.Id);
        return true;
    }

    private static bool IsSupersededBy(PrefectFlowRun run, Trigger trigger, PipelineStepOrigin step, PrefectFlowRun newer) =>
        run.Label(RunLabels.Kind) == "merge"
        && Bitbucket.BitbucketUuid.Same(run.Label(RunLabels.RepositoryUuid), trigger.Repository.Uuid)
        && run.Label(RunLabels.Ref) == trigger.Ref.Name
        && !string.Equals(run.Label(RunLabels.Commit), trigger.Commit, StringComparison.OrdinalIgnoreCase)
        && long.TryParse(run.Label(RunLabels.BuildNumber), NumberStyles.Integer, CultureInfo.InvariantCulture, out var build)
        && (build < step.BuildNumber || (build == step.BuildNumber && run.Created < newer.Created));
}
