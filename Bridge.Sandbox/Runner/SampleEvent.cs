using Bridge.Contracts;

namespace Bridge.Sandbox.Runner;

/// <summary>
/// One event the sandbox sends, and how: as a MassTransit envelope, as plain JSON from any AMQP client, or as a signed
/// Bitbucket webhook to the ingress (<see cref="Webhook"/>; <see cref="Message"/> is then the event the worker makes of it).
/// </summary>
internal sealed record SampleEvent(string Label, PipelineEvent Message, bool AsPlainJson = false, bool IsRedelivery = false, SampleWebhook? Webhook = null);
