using Bridge.Contracts;

namespace Bridge.Sandbox.Runner;

/// <summary>One event the sandbox publishes, and how: as a MassTransit envelope or as plain JSON from any AMQP client.</summary>
internal sealed record SampleEvent(string Label, PipelineEvent Message, bool AsPlainJson = false, bool IsRedelivery = false);
