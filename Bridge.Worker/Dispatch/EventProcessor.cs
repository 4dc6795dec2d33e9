using Bridge.Contracts;
using Bridge.Worker.Identity;
using Bridge.Worker.Intake;
using Bridge.Worker.Observability;
using Bridge.Worker.Routing;

namespace Bridge.Worker.Dispatch;

/// <summary>
/// The way of one event: check its shape, verify it, route it, and dispatch every matching route.
/// Throws <see cref="PermanentFailureException"/> for what must be dead-lettered at once.
/// </summary>
internal sealed class EventProcessor(
    IEventVerifier verifier,
    RouteTable routes,
    RouteDispatcher dispatcher,
    BridgeMetrics metrics,
    ILogger<EventProcessor> logger)
{
    public async Task ProcessAsync(PipelineEvent? message, CancellationToken cancellationToken)
    {
        var errors = PipelineEventValidator.Validate(message);
        if (errors.Count > 0)
        {
            metrics.Event("invalid");
            logger.LogWarning("Rejected a message that is not a valid PipelineEvent: {Errors}", string.Join("; ", errors));
            throw new InvalidPipelineEventException(errors);
        }

        var eventId = EventIds.Of(message!);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["EventId"] = eventId,
            ["Repository"] = message!.Repository.FullName,
            ["Commit"] = message.Commit,
            ["Ref"] = message.Ref.Name,
        });

        try
        {
            await verifier.VerifyAsync(message, cancellationToken);
        }
        catch (PermanentFailureException ex)
        {
            metrics.Event("rejected");
            logger.LogWarning("Rejected event {EventId}: {Reason}: {Why}", eventId, ex.Reason, ex.Message);
            throw;
        }

        var matched = routes.Match(message);
        if (matched.Count == 0)
        {
            metrics.Event("unrouted");
            logger.LogInformation(
                "Event {EventId} ({Kind} {Ref} of {Repository}) matched no route; acknowledged without a flow run",
                eventId, message.Kind, message.Ref.Name, message.Repository.FullName);
            return;
        }

        foreach (var route in matched)
        {
            await dispatcher.DispatchAsync(message, eventId, route, cancellationToken);
        }

        metrics.Event("dispatched");
    }
}
