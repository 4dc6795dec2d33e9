namespace Bridge.Sandbox.Runner;

/// <summary>A sample delivered as Bitbucket delivers a webhook: its event key, its <c>X-Request-UUID</c> and the raw body.</summary>
internal sealed record SampleWebhook(string EventKey, string RequestUuid, byte[] Body);
