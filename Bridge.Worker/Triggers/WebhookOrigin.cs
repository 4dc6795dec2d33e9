namespace Bridge.Worker.Triggers;

/// <summary>
/// A signed Bitbucket webhook delivery: its <c>X-Request-UUID</c> (bare, lower case) and event key. It carries no
/// token, so it gets no cloud credentials and no deployment environment.
/// </summary>
internal sealed record WebhookOrigin(string RequestUuid, string EventKey) : TriggerOrigin;
