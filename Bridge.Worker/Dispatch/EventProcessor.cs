using Bridge.Contracts;
using Bridge.Worker.Identity;
using Bridge.Worker.Intake;
using Bridge.Worker.Observability;
using Bridge.Worker.Routing;

namespace Bridge.Worker.Dispatch;

/// <summary>
/// The way of one event: check its shape, verify its token, route it, apply the routes' allow rules, verify its commit
/// against the pipeline record, and dispatch every matching route. Throws <see cref="PermanentFailureException"/>
/// (<see cref="EventRejectedException"/> for what verification refuses) for what must be dead-lettered at once.
/// </summary>
internal sealed class EventProcessor(
    IEventVerifier verifier,
    CommitVerifier commits,
    RouteTable routes,
    RouteDispatcher dispatcher,
    ExpiredTokenReporter expiredTokens,
    BridgeMetrics metrics,
    ILogger<EventProcessor> logger)
{
    /// <param name="sentAt">When the message was published, if the transport says so.</param>
    public async Task ProcessAsync(PipelineEvent? message, DateTimeOffset? sentAt, CancellationToken cancellationToken)
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
            await VerifyAndDispatchAsync(message, eventId, sentAt, cancellationToken);
        }
        catch (EventRejectedException ex)
        {
            metrics.Event("rejected");
            metrics.Rejected(ex.Reason);
            logger.LogWarning("Rejected event {EventId}: {Reason}: {Why}", eventId, ex.Reason, ex.Message);
            throw;
        }
    }

    private async Task VerifyAndDispatchAsync(PipelineEvent message, Guid eventId, DateTimeOffset? sentAt, CancellationToken cancellationToken)
    {
        var matched = routes.Match(message);
        VerifiedIdentity identity;
        try
        {
            identity = await verifier.VerifyAsync(message, sentAt, cancellationToken);
        }
        catch (TokenExpiredInQueueException expired)
        {
            await expiredTokens.ReportAsync(message, matched, expired, cancellationToken);
            throw;
        }

        foreach (var route in matched)
        {
            RouteAuthorization.Check(route, message, identity);
        }

        if (matched.Count == 0)
        {
            metrics.Event("unrouted");
            logger.LogInformation(
                "Event {EventId} ({Kind} {Ref} of {Repository}) matched no route; acknowledged without a flow run",
                eventId, message.Kind, message.Ref.Name, message.Repository.FullName);
            return;
        }

        if (matched.Any(r => r.VerifyCommit))
        {
            await commits.VerifyAsync(message, cancellationToken);
        }

        foreach (var route in matched)
        {
            await dispatcher.DispatchAsync(message, eventId, route, cancellationToken);
        }

        metrics.Event("dispatched");
    }
}
