using Bridge.Contracts;
using Bridge.Worker.PipelineEvents;
using Bridge.Worker.Routing;
using Bridge.Worker.Triggers;

namespace Bridge.Tests.Support;

/// <summary>Sample <see cref="PipelineEvent"/>s as the worker sees them inside, through its own edge mapping.</summary>
internal static class TriggerTestExtensions
{
    public static Trigger AsTrigger(this PipelineEvent message) => PipelineEventTriggers.From(message);

    public static PipelineStepOrigin Step(this Trigger trigger) => (PipelineStepOrigin)trigger.Origin;

    /// <summary>The pipeline routes the event matches.</summary>
    public static IReadOnlyList<RouteDefinition> Match(this RouteTable table, PipelineEvent message) => table.ForPipelineStep(message.AsTrigger().Subject);

    /// <summary>The routes that take <paramref name="eventKey"/> webhooks and match what the event names.</summary>
    public static IReadOnlyList<RouteDefinition> MatchWebhook(this RouteTable table, string eventKey, PipelineEvent message) =>
        table.ForWebhook(eventKey, message.AsTrigger().Subject);
}
