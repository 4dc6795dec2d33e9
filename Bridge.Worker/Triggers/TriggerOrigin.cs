namespace Bridge.Worker.Triggers;

/// <summary>Where a <see cref="Trigger"/> came from: a <see cref="PipelineStepOrigin"/> or a <see cref="WebhookOrigin"/>.</summary>
internal abstract record TriggerOrigin;
