using Bridge.Contracts;
using Bridge.Worker.Dispatch;
using Bridge.Worker.Identity;
using Bridge.Worker.Observability;
using Bridge.Worker.Triggers;

namespace Bridge.Worker.Webhooks;

/// <summary>
/// The way of one queued webhook delivery: its signature again (the queue is not trusted), its payload, its workspace
/// against the allow-list, then every change admitted before any is dispatched, so that one refused change starts
/// nothing. Returns why the delivery was rejected, or null.
/// </summary>
internal sealed class WebhookHandler(
    WebhookSignatures hooks, WebhookWorkspaces workspaces, TriggerAdmission admission, RouteDispatcher dispatcher, BridgeMetrics metrics, ILogger<WebhookHandler> logger)
{
    public async Task<Rejection?> HandleAsync(BitbucketWebhookDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var rejection = await AdmitAsync(delivery, cancellationToken) switch
        {
            (_, { } refused) => refused,
            (var admitted, _) => await DispatchAsync(delivery, admitted!, cancellationToken),
        };
        if (rejection is not null)
        {
            metrics.Event("rejected");
            metrics.Rejected(rejection.Reason);
            logger.LogWarning("Rejected webhook delivery {WebhookRequest} ({EventKey}): {Why}", delivery.RequestUuid, delivery.EventKey, rejection.Why);
        }

        return rejection;
    }

    private async Task<(IReadOnlyList<Admitted>? Admitted, Rejection? Refused)> AdmitAsync(BitbucketWebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var (body, undecodable) = WebhookDeliveries.Decode(delivery);
        if (body is null)
        {
            return (null, undecodable!.ToRejection());
        }

        if (hooks.Verify(delivery.HookUuid, body, delivery.Signature) is { } unsigned)
        {
            return (null, unsigned);
        }

        var (parsed, invalid) = WebhookPayload.Read(delivery.EventKey!, body);
        if (parsed is null)
        {
            return (null, invalid!.ToRejection());
        }

        var (payload, notAllowed) = workspaces.Check(parsed);
        if (notAllowed is not null)
        {
            return (null, notAllowed);
        }

        foreach (var skipped in payload!.Skipped)
        {
            logger.LogInformation("Webhook {WebhookRequest}: skipped {Change}", delivery.RequestUuid, skipped);
        }

        var admitted = new List<Admitted>();
        foreach (var change in payload.Changes)
        {
            var trigger = WebhookTriggers.From(delivery.RequestUuid!, delivery.EventKey!, delivery.ReceivedAt, payload, change);
            switch (await admission.AdmitAsync(trigger, delivery.ReceivedAt, cancellationToken))
            {
                case Admitted { Routes.Count: 0 }:
                    metrics.Event("unrouted");
                    logger.LogInformation(
                        "Webhook {WebhookRequest} ({EventKey}, {Kind} {Ref} of {Repository}) matched no route that takes {EventKey} webhooks; nothing to run",
                        delivery.RequestUuid, delivery.EventKey, change.Kind, change.Ref.Name, payload.Repository.FullName, delivery.EventKey);
                    break;
                case Admitted routed:
                    admitted.Add(routed);
                    break;
                case Rejection refused:
                    return (null, refused);
            }
        }

        return (admitted, null);
    }

    private async Task<Rejection?> DispatchAsync(BitbucketWebhookDelivery delivery, IReadOnlyList<Admitted> admitted, CancellationToken cancellationToken)
    {
        foreach (var one in admitted)
        {
            var trigger = one.Trigger;
            logger.LogInformation(
                "Webhook {WebhookRequest} ({EventKey}): event {EventId}, {Kind} {Ref} of {Repository} at {Commit}, for {RouteCount} route(s)",
                delivery.RequestUuid, delivery.EventKey, trigger.Id, trigger.Kind, trigger.Ref.Name, trigger.Repository.FullName, trigger.Commit, one.Routes.Count);
            if (await dispatcher.DispatchAsync(one, cancellationToken) is { } refused)
            {
                return refused;
            }

            metrics.Event("dispatched");
        }

        return null;
    }
}
