using Bridge.Contracts;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Dispatch;
using Bridge.Worker.Identity;
using Bridge.Worker.Observability;
using Bridge.Worker.Routing;

namespace Bridge.Worker.Webhooks;

/// <summary>
/// The way of one queued webhook delivery: check its signature again (the queue is not trusted), read the changes it
/// reports, hold its workspace to the allow-list, find the routes that opted in to its event key, expand abbreviated commit hashes through Bitbucket's API,
/// apply the routes' allow rules and dispatch each route. Throws <see cref="PermanentFailureException"/> for what must
/// be dead-lettered at once.
/// </summary>
internal sealed class WebhookProcessor(
    WebhookHooks hooks,
    WebhookWorkspaces workspaces,
    RouteTable routes,
    RouteDispatcher dispatcher,
    IBitbucketClient bitbucket,
    BridgeMetrics metrics,
    ILogger<WebhookProcessor> logger)
{
    public async Task ProcessAsync(BitbucketWebhookDelivery delivery, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["WebhookRequest"] = delivery.RequestUuid ?? string.Empty,
            ["EventKey"] = delivery.EventKey ?? string.Empty,
        });
        try
        {
            var body = Decode(delivery);
            hooks.Verify(delivery.HookUuid, body, delivery.Signature);
            var payload = workspaces.Check(WebhookPayload.Parse(delivery.EventKey!, body));
            foreach (var skipped in payload.Skipped)
            {
                logger.LogInformation("Webhook {WebhookRequest}: skipped {Change}", delivery.RequestUuid, skipped);
            }

            // Every change is resolved and authorized before any is dispatched, so a refused one starts nothing.
            var events = new List<(PipelineEvent Message, IReadOnlyList<RouteDefinition> Routes)>();
            foreach (var change in payload.Changes)
            {
                if (await ResolveAsync(delivery, payload, change, cancellationToken) is { } resolved)
                {
                    events.Add(resolved);
                }
            }

            foreach (var (message, matched) in events)
            {
                await DispatchAsync(delivery, message, matched, cancellationToken);
            }
        }
        catch (PermanentFailureException ex) when (ex is EventRejectedException or InvalidWebhookException)
        {
            metrics.Event("rejected");
            metrics.Rejected(ex.Reason);
            logger.LogWarning("Rejected webhook delivery {WebhookRequest} ({EventKey}): {Why}", delivery.RequestUuid, delivery.EventKey, ex.Message);
            throw;
        }
    }

    /// <summary>The change as an event with its full commit, and the routes that take it; null when none does.</summary>
    private async Task<(PipelineEvent, IReadOnlyList<RouteDefinition>)?> ResolveAsync(
        BitbucketWebhookDelivery delivery, WebhookPayload payload, WebhookChange change, CancellationToken cancellationToken)
    {
        // Routes match on kind, repository and ref, none of which needs the full hash.
        var draft = WebhookEvents.Of(delivery.RequestUuid, delivery.ReceivedAt, payload, change, change.Commit.PadRight(40, '0'));
        var matched = routes.MatchWebhook(delivery.EventKey, draft);
        if (matched.Count == 0)
        {
            metrics.Event("unrouted");
            logger.LogInformation(
                "Webhook {WebhookRequest} ({EventKey}, {Kind} {Ref} of {Repository}) matched no route that takes {EventKey} webhooks; nothing to run",
                delivery.RequestUuid, delivery.EventKey, change.Kind, change.Ref.Name, payload.Repository.FullName, delivery.EventKey);
            return null;
        }

        var commit = await FullCommitAsync(payload, change, cancellationToken);
        var message = WebhookEvents.Of(delivery.RequestUuid, delivery.ReceivedAt, payload, change, commit);
        foreach (var route in matched)
        {
            // The signature proves Bitbucket sent it for this repository; there is no deployment environment.
            RouteAuthorization.Check(route, message, payload.Repository.Uuid, deploymentEnvironment: null);
        }

        return (message, matched);
    }

    private async Task DispatchAsync(
        BitbucketWebhookDelivery delivery, PipelineEvent message, IReadOnlyList<RouteDefinition> matched, CancellationToken cancellationToken)
    {
        var eventId = message.EventId!.Value;
        logger.LogInformation(
            "Webhook {WebhookRequest} ({EventKey}): event {EventId}, {Kind} {Ref} of {Repository} at {Commit}, for {RouteCount} route(s)",
            delivery.RequestUuid, delivery.EventKey, eventId, message.Kind, message.Ref.Name, message.Repository.FullName, message.Commit, matched.Count);
        foreach (var route in matched)
        {
            await dispatcher.DispatchAsync(message, eventId, route, cancellationToken);
        }

        metrics.Event("dispatched");
    }

    /// <summary>Pull-request payloads abbreviate hashes (to 12 characters); statuses and keys need the full one.</summary>
    private async Task<string> FullCommitAsync(WebhookPayload payload, WebhookChange change, CancellationToken cancellationToken)
    {
        if (!change.CommitIsAbbreviated)
        {
            return change.Commit;
        }

        var full = await bitbucket.GetFullCommitHashAsync(payload.Workspace.Uuid, payload.Repository.Uuid, change.Commit, cancellationToken);
        if (full is null)
        {
            throw new EventRejectedException(
                WebhookRejectReasons.CommitNotFound,
                $"Rejected ({WebhookRejectReasons.CommitNotFound}): Bitbucket knows no commit {change.Commit} in {payload.Repository.FullName}");
        }

        logger.LogInformation("Expanded commit {ShortCommit} of {Repository} to {Commit}", change.Commit, payload.Repository.FullName, full);
        return full;
    }

    private static byte[] Decode(BitbucketWebhookDelivery delivery)
    {
        if (delivery.Version != BitbucketWebhookDelivery.CurrentVersion)
        {
            throw new InvalidWebhookException("version", $"version {delivery.Version} is not supported (this worker reads {BitbucketWebhookDelivery.CurrentVersion})");
        }

        if (string.IsNullOrWhiteSpace(delivery.RequestUuid) || string.IsNullOrWhiteSpace(delivery.EventKey))
        {
            throw new InvalidWebhookException("requestUuid", "requestUuid and eventKey are required");
        }

        try
        {
            return Convert.FromBase64String(delivery.Body ?? string.Empty);
        }
        catch (FormatException)
        {
            throw new InvalidWebhookException("body", "body must be the delivery's bytes in base64");
        }
    }
}
