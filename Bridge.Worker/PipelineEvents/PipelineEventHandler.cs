using Bridge.Worker.Correlation;
using Bridge.Worker.Dispatch;
using Bridge.Worker.Identity;
using Bridge.Worker.Observability;
using Bridge.Worker.Triggers;

namespace Bridge.Worker.PipelineEvents;

/// <summary>
/// The way of one queued step event: admission, then every admitted route dispatched; a token that expired in the
/// queue tells each route's commit to re-run the step. Returns why the event was rejected, or null.
/// </summary>
internal sealed class PipelineEventHandler(
    TriggerAdmission admission, RouteDispatcher dispatcher, StatusReporter reporter, BridgeMetrics metrics, ILogger<PipelineEventHandler> logger)
{
    /// <param name="sentAt">When the message was published (else the event's <c>occurredAt</c>).</param>
    public async Task<Rejection?> HandleAsync(Trigger trigger, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        using var span = BridgeActivities.StartEvent(trigger);
        var verdict = await admission.AdmitAsync(trigger, sentAt, cancellationToken);
        var rejection = verdict switch
        {
            Admitted { Routes.Count: 0 } => null,
            Admitted admitted => await dispatcher.DispatchAsync(admitted, cancellationToken),
            ExpiredInQueue expired => await TellExpiredAsync(expired, cancellationToken),
            Rejection rejected => rejected,
            _ => throw new InvalidOperationException($"unknown verdict {verdict.GetType().Name}"),
        };
        if (rejection is null)
        {
            var unrouted = verdict is Admitted { Routes.Count: 0 };
            if (unrouted)
            {
                logger.LogInformation(
                    "Event {EventId} ({Kind} {Ref} of {Repository}) matched no route; acknowledged without a flow run",
                    trigger.Id, trigger.Kind, trigger.Ref.Name, trigger.Repository.FullName);
            }

            metrics.Event(unrouted ? "unrouted" : "dispatched");
            span?.SetTag("bridge.event.outcome", unrouted ? "unrouted" : "dispatched");
            return null;
        }

        metrics.Event("rejected");
        metrics.Rejected(rejection.Reason);
        span?.SetTag("bridge.event.outcome", "rejected");
        span.Failed(rejection.Reason);
        logger.LogWarning("Rejected event {EventId}: {Reason}: {Why}", trigger.Id, rejection.Reason, rejection.Why);
        return rejection;
    }

    private async Task<Rejection> TellExpiredAsync(ExpiredInQueue expired, CancellationToken cancellationToken)
    {
        var step = (PipelineStepOrigin)expired.Trigger.Origin;
        var text = $"token expired after {Math.Max(0, (long)expired.Waited.TotalSeconds)} s in the queue — re-run the step";
        foreach (var route in expired.Routes)
        {
            await reporter.ReportRefusalAsync(new StatusRefusal(expired.Trigger, step, route, RefusalKind.ExpiredInQueue, text), cancellationToken);
        }

        return expired.Rejection;
    }
}
