using Bridge.Contracts;
using Bridge.Worker.PipelineEvents;
using Bridge.Worker.Triggers;

namespace Bridge.Sandbox.Runner;

/// <summary>
/// One event the sandbox sends, and how: a step's <see cref="Message"/> as a MassTransit envelope or as plain JSON from
/// any AMQP client, or a signed Bitbucket <see cref="Webhook"/> to the ingress. <see cref="Trigger"/> is what the
/// worker makes of it.
/// </summary>
internal sealed record SampleEvent(string Label, Trigger Trigger, PipelineEvent? Message = null, bool AsPlainJson = false, bool IsRedelivery = false, SampleWebhook? Webhook = null)
{
    public static SampleEvent Published(string label, PipelineEvent message, bool asPlainJson = false, bool isRedelivery = false) =>
        new(label, PipelineEventTriggers.From(message), message, asPlainJson, isRedelivery);
}
