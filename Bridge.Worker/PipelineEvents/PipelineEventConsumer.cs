using Bridge.Contracts;
using Bridge.Worker.Identity;
using Bridge.Worker.Observability;
using Bridge.Worker.PipelineEvents;
using MassTransit;

namespace Bridge.Worker.PipelineEvents;

/// <summary>
/// Takes a <see cref="PipelineEvent"/> off the queue: checks its shape, turns it into a trigger and hands it to the
/// <see cref="PipelineEventHandler"/>. A rejection is thrown here, and only here, so MassTransit dead-letters it with its reason.
/// </summary>
internal sealed class PipelineEventConsumer(PipelineEventHandler handler, BridgeMetrics metrics, ILogger<PipelineEventConsumer> logger)
    : IConsumer<PipelineEvent>
{
    public async Task Consume(ConsumeContext<PipelineEvent> context)
    {
        var message = context.Message;
        var errors = PipelineEventValidator.Validate(message);
        if (errors.Count > 0)
        {
            metrics.Event("invalid");
            logger.LogWarning("Rejected a message that is not a valid PipelineEvent: {Errors}", string.Join("; ", errors));
            throw new InvalidPipelineEventException(errors);
        }

        var trigger = PipelineEventTriggers.From(message);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["EventId"] = trigger.Id,
            ["Repository"] = trigger.Repository.FullName,
            ["Commit"] = trigger.Commit,
            ["Ref"] = trigger.Ref.Name,
        });
        var sentAt = context.SentTime is { } sent ? new DateTimeOffset(DateTime.SpecifyKind(sent, DateTimeKind.Utc)) : trigger.OccurredAt;
        if (await handler.HandleAsync(trigger, sentAt, context.CancellationToken) is { } rejection)
        {
            throw new EventRejectedException(rejection);
        }
    }
}
