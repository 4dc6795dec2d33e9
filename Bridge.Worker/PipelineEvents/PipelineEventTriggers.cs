using Bridge.Contracts;
using Bridge.Worker.Triggers;

namespace Bridge.Worker.PipelineEvents;

/// <summary>The wire contract as the worker's trigger model: a <see cref="PipelineEvent"/> (already validated) from a step.</summary>
internal static class PipelineEventTriggers
{
    public static Trigger From(PipelineEvent message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new Trigger
        {
            Id = EventIds.Of(message),
            Kind = message.Kind,
            Workspace = message.Workspace,
            Repository = message.Repository,
            Commit = message.Commit,
            Ref = message.Ref,
            PullRequestId = message.PullRequestId,
            OccurredAt = message.OccurredAt,
            Origin = new PipelineStepOrigin(message.PipelineUuid, message.StepUuid, message.BuildNumber, message.OidcToken),
        };
    }
}
