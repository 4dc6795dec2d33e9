using System.Text.Json.Nodes;
using Bridge.Contracts;
using Bridge.Worker.Correlation;
using Bridge.Worker.Dispatch;
using Bridge.Worker.Identity;
using Bridge.Worker.Prefect;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Bridge.Worker.Ingress;

/// <summary>
/// <c>GET /v1/events/{id}</c>: the event's flow runs read back from Prefect (by their <c>bridge-event:&lt;id&gt;</c>
/// tag), shown only to a step token of the runs' repository, verified by the same <see cref="IEventVerifier"/>.
/// </summary>
internal sealed class EventFollower(IEventVerifier verifier, IPrefectClient prefect, PrefectUiLinks links, TimeProvider time, ILogger<EventFollower> logger)
{
    public async Task<IResult> FollowAsync(Guid eventId, string? token, CancellationToken cancellationToken)
    {
        if (token is null)
        {
            return IngressProblems.Unauthenticated(IngressProblems.MissingToken, "Send a step token of the event's repository as 'Authorization: Bearer …'.");
        }

        var criteria = new JsonObject { ["tags"] = new JsonObject { ["all_"] = new JsonArray(CorrelationLabels.EventTagPrefix + eventId) } };
        IReadOnlyList<PrefectFlowRun> runs;
        try
        {
            runs = await prefect.FilterFlowRunsAsync(new FlowRunQuery(criteria, "ID_DESC", FlowRunQuery.MaxLimit, 0), cancellationToken);
        }
        catch (UpstreamUnavailableException unavailable)
        {
            return IngressProblems.Unavailable($"{unavailable.Upstream} is unavailable; retry later.");
        }

        runs = [.. runs.Where(r => r.Label(CorrelationLabels.EventId) == eventId.ToString())];
        if (runs.Count == 0)
        {
            return IngressProblems.NotFound($"No flow run of event {eventId} (yet): it may still be queued, or it matched no route.");
        }

        try
        {
            await verifier.VerifyAsync(Probe(runs[0], token), time.GetUtcNow(), cancellationToken);
        }
        catch (EventRejectedException rejected)
        {
            logger.LogWarning("Refused to show event {EventId}: {Reason}: {Why}", eventId, rejected.Reason, rejected.Message);
            return IngressProblems.Rejected(rejected);
        }

        var routes = runs.OrderBy(r => r.Label(CorrelationLabels.Route), StringComparer.Ordinal).Select(Followed).ToList();
        var answer = new FollowedEvent
        {
            EventId = eventId,
            Finished = routes.All(r => r.Final),
            Succeeded = routes.All(r => r.State == PrefectStateTypes.Completed),
            Routes = routes,
        };
        return Results.Json(answer, IngressJsonContext.Default.FollowedEvent);
    }

    private FollowedRoute Followed(PrefectFlowRun run) => new()
    {
        Route = run.Label(CorrelationLabels.Route) ?? "(unknown)",
        FlowRunId = run.Id,
        State = run.StateType,
        StateName = run.StateName ?? run.State?.Name,
        Final = run.IsFinal,
        Url = links.FlowRun(run.Id).ToString(),
        StatusKey = run.Label(CorrelationLabels.StatusKey),
        CommitStatus = StatusText.FinalState(run.StateType) ?? Bitbucket.BuildState.InProgress,
        ReportedStatus = run.Label(StatusReporter.ReportedLabel),
    };

    /// <summary>
    /// An event naming the run's workspace and repository, and the pipeline and step the token says it is of: verifying
    /// it proves the token genuine, current, and of that repository. (A tag event: no branch binding to check.)
    /// </summary>
    private static PipelineEvent Probe(PrefectFlowRun run, string token)
    {
        string? pipeline = null, step = null;
        try
        {
            var jwt = new JsonWebToken(token);
            jwt.TryGetPayloadValue("pipelineUuid", out pipeline);
            jwt.TryGetPayloadValue("stepUuid", out step);
        }
        catch (Exception ex) when (ex is ArgumentException or Microsoft.IdentityModel.Tokens.SecurityTokenMalformedException)
        {
            // Left to the verifier, which says the token is malformed.
        }

        return new PipelineEvent
        {
            Kind = EventKind.Tag,
            Workspace = new WorkspaceInfo { Slug = run.Label(CorrelationLabels.Workspace) ?? string.Empty, Uuid = run.Label(CorrelationLabels.WorkspaceUuid) ?? string.Empty },
            Repository = new RepositoryInfo { FullName = run.Label(CorrelationLabels.Repository) ?? string.Empty, Uuid = run.Label(CorrelationLabels.RepositoryUuid) ?? string.Empty },
            Commit = run.Label(CorrelationLabels.Commit) ?? string.Empty,
            Ref = new GitRef { Name = run.Label(CorrelationLabels.Ref) ?? string.Empty, Type = RefType.Tag },
            PipelineUuid = pipeline ?? string.Empty,
            StepUuid = step ?? string.Empty,
            BuildNumber = 0,
            OccurredAt = DateTimeOffset.UnixEpoch,
            OidcToken = token,
        };
    }
}
