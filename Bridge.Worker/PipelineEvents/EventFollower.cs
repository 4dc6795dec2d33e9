using System.Text.Json.Nodes;
using Bridge.Contracts;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Correlation;
using Bridge.Worker.Identity;
using Bridge.Worker.Ingress;
using Bridge.Worker.Prefect;

namespace Bridge.Worker.PipelineEvents;

/// <summary>
/// <c>GET /v1/events/{id}</c>: the event's flow runs read back from Prefect (by their <c>bridge-event:&lt;id&gt;</c>
/// tag), shown only to a step token of the runs' repository, verified by the same <see cref="ITokenVerifier"/>. For a
/// finished run, the commit's status is read from Bitbucket to tell whether Bridge has posted its final state.
/// </summary>
internal sealed class EventFollower(
    ITokenVerifier verifier, IPrefectClient prefect, IBitbucketClient bitbucket, PrefectUiLinks links, TimeProvider time, ILogger<EventFollower> logger)
{
    public async Task<IResult> FollowAsync(Guid eventId, string? token, CancellationToken cancellationToken)
    {
        if (token is null)
        {
            return IngressProblems.Unauthenticated(IngressProblems.MissingToken, "Send a step token of the event's repository as 'Authorization: Bearer …'.");
        }

        var criteria = new JsonObject { ["tags"] = new JsonObject { ["all_"] = new JsonArray(RunLabels.EventTagPrefix + eventId) } };
        IReadOnlyList<PrefectFlowRun> runs;
        try
        {
            runs = await prefect.FilterFlowRunsAsync(new FlowRunQuery(criteria, "ID_DESC", FlowRunQuery.MaxLimit, 0), cancellationToken);
        }
        catch (UpstreamUnavailableException unavailable)
        {
            return IngressProblems.Unavailable($"{unavailable.Upstream} is unavailable; retry later.");
        }

        runs = [.. runs.Where(r => r.Label(RunLabels.EventId) == eventId.ToString())];
        if (runs.Count == 0)
        {
            return IngressProblems.NotFound($"No flow run of event {eventId} (yet): it may still be queued, or it matched no route.");
        }

        if (await verifier.VerifyAsync(token, Expected(runs[0]), time.GetUtcNow(), cancellationToken) is TokenVerdict.Refused refused)
        {
            logger.LogWarning("Refused to show event {EventId}: {Reason}: {Why}", eventId, refused.Rejection.Reason, refused.Rejection.Why);
            return IngressProblems.Rejected(refused.Rejection);
        }

        var routes = new List<FollowedRoute>();
        foreach (var run in runs.OrderBy(r => r.Label(RunLabels.Route), StringComparer.Ordinal))
        {
            routes.Add(Followed(run, await ReportedAsync(run, cancellationToken)));
        }

        var answer = new FollowedEvent
        {
            EventId = eventId,
            Finished = routes.All(r => r.Final),
            Succeeded = routes.All(r => r.State == PrefectStateTypes.Completed),
            Routes = routes,
        };
        return Results.Json(answer, IngressJsonContext.Default.FollowedEvent);
    }

    private FollowedRoute Followed(PrefectFlowRun run, string? reported) => new()
    {
        Route = run.Label(RunLabels.Route) ?? "(unknown)",
        FlowRunId = run.Id,
        State = run.StateType,
        StateName = run.StateName ?? run.State?.Name,
        Final = run.IsFinal,
        Url = links.FlowRun(run.Id).ToString(),
        StatusKey = run.Label(RunLabels.StatusKey),
        CommitStatus = StatusText.FinalState(run.StateType) ?? Bitbucket.BuildState.InProgress,
        ReportedStatus = reported,
    };

    /// <summary>The final state the commit shows for this run (its status links to the run), or null.</summary>
    private async Task<string?> ReportedAsync(PrefectFlowRun run, CancellationToken cancellationToken)
    {
        if (run.Label(RunLabels.Reported) is { } labelled)
        {
            return labelled;
        }

        if (!run.IsFinal || RunLabels.Read(run) is not { } correlated)
        {
            return null;
        }

        try
        {
            var shown = await bitbucket.GetBuildStatusAsync(correlated.Target, correlated.StatusKey, cancellationToken);
            return shown is not null && shown.State == StatusText.FinalState(run.StateType) && shown.Url == links.FlowRun(run.Id).ToString() ? shown.State : null;
        }
        catch (Exception ex) when (ex is UpstreamUnavailableException or PermanentFailureException)
        {
            logger.LogInformation("Flow run {FlowRunId}: could not read its status on the commit: {Why}", run.Id, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// The run's workspace and repository: a token of any step of that repository, genuine and current, may follow it.
    /// </summary>
    private static ExpectedIdentity Expected(PrefectFlowRun run) => new(
        new WorkspaceInfo { Slug = run.Label(RunLabels.Workspace) ?? string.Empty, Uuid = run.Label(RunLabels.WorkspaceUuid) ?? string.Empty },
        new RepositoryInfo { FullName = run.Label(RunLabels.Repository) ?? string.Empty, Uuid = run.Label(RunLabels.RepositoryUuid) ?? string.Empty });
}
