using System.Globalization;
using Bridge.Contracts;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Observability;
using Bridge.Worker.Routing;

namespace Bridge.Worker.Identity;

/// <summary>
/// A genuine token that expired while its message waited in the queue: when the commit still verifies against the
/// pipeline record, each route the event would have triggered gets FAILED "token expired after N s in the queue —
/// re-run the step" on the commit, so people see why nothing ran. An unverified commit gets nothing, and a status
/// already on the commit (the route ran, or reported) is never overwritten.
/// </summary>
internal sealed class ExpiredTokenReporter(
    CommitVerifier commits, IBitbucketClient bitbucket, BridgeMetrics metrics, ILogger<ExpiredTokenReporter> logger)
{
    public async Task ReportAsync(
        PipelineEvent message, IReadOnlyList<RouteDefinition> routes, TokenExpiredInQueueException expired, CancellationToken cancellationToken)
    {
        var allowed = routes.Where(r => IsAllowed(r, message, expired.Identity)).ToList();
        if (allowed.Count == 0)
        {
            return;
        }

        try
        {
            await commits.VerifyAsync(message, cancellationToken);
        }
        catch (EventRejectedException ex)
        {
            logger.LogInformation("Expired token: the commit does not verify ({Reason}); no status posted", ex.Reason);
            return;
        }

        var seconds = Math.Max(0, (long)expired.Waited.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        foreach (var route in allowed)
        {
            var status = new BuildStatus
            {
                Key = StatusKeys.For(route.Name, route.Deployment),
                State = BuildState.Failed,
                Name = route.StatusName,
                Description = $"token expired after {seconds} s in the queue — re-run the step",
                Url = $"https://bitbucket.org/{message.Repository.FullName}/addon/pipelines/home#!/results/{message.BuildNumber}",
                Refname = message.Ref.Name,
            };
            var target = new StatusTarget(message.Workspace.Uuid, message.Repository.Uuid, message.Commit);
            try
            {
                // Never over a status already there: an old token replayed with a made-up occurredAt must not mark a good run FAILED.
                if (await bitbucket.GetBuildStatusStateAsync(target, status.Key, cancellationToken) is { } existing)
                {
                    logger.LogInformation("Route {Route}: the commit already has status {State}; the expired token changes nothing", route.Name, existing);
                    continue;
                }

                await bitbucket.PostBuildStatusAsync(target, status, cancellationToken);
                metrics.Status(status.State);
            }
            catch (Exception ex) when (ex is PermanentFailureException or UpstreamUnavailableException)
            {
                logger.LogWarning("Route {Route}: could not post FAILED for an expired token: {Why}", route.Name, ex.Message);
            }
        }
    }

    private static bool IsAllowed(RouteDefinition route, PipelineEvent message, VerifiedIdentity identity)
    {
        try
        {
            RouteAuthorization.Check(route, message, identity);
            return true;
        }
        catch (EventRejectedException)
        {
            return false;
        }
    }
}
