using Bridge.Contracts;
using Bridge.Worker.Dispatch;
using MassTransit;

namespace Bridge.Worker.Intake;

/// <summary>Takes a <see cref="PipelineEvent"/> off the queue and hands it to the <see cref="EventProcessor"/>.</summary>
internal sealed class PipelineEventConsumer(EventProcessor processor) : IConsumer<PipelineEvent>
{
    public Task Consume(ConsumeContext<PipelineEvent> context) =>
        processor.ProcessAsync(
            context.Message,
            context.SentTime is { } sent ? new DateTimeOffset(DateTime.SpecifyKind(sent, DateTimeKind.Utc)) : null,
            context.CancellationToken);
}
