using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bridge.Contracts;
using Bridge.Sandbox.Emulators;
using Bridge.Worker.Triggers;
using Bridge.Worker.Webhooks;

namespace Bridge.Sandbox.Runner;

/// <summary>
/// The sandbox's webhook: a hook the worker trusts (a secret made for this run), a <c>repo:push</c> of a tag, and its
/// delivery to the worker's ingress, signed the way Bitbucket signs it.
/// </summary>
internal sealed class SampleWebhooks
{
    public const string HookUuid = "{3f2b8c1a-6d4e-4b7a-9c0d-1e2f3a4b5c6d}";

    private readonly string secret = $"sandbox-webhook-secret-{Guid.NewGuid():N}";

    public int IngressPort { get; } = FreePorts.Next();

    /// <summary>The worker settings that open the ingress on <see cref="IngressPort"/> and trust the hook.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Bridge:Ingress:Enabled", "true"),
        new("Bridge:Ingress:Port", IngressPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Bridge:Ingress:BindAddress", "127.0.0.1"),
        new("Bridge:Webhooks:Hooks:0:Uuid", HookUuid),
        new("Bridge:Webhooks:Hooks:0:Secret", secret),
    ];

    /// <summary>A tag pushed to <c>acme/api</c>, and the trigger the worker will make of that delivery.</summary>
    public static (SampleWebhook Webhook, Trigger Trigger) TagPush(string tag, string repositoryUuid)
    {
        var commit = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..8];
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["push"] = new JsonObject
            {
                ["changes"] = new JsonArray(new JsonObject
                {
                    ["new"] = new JsonObject { ["type"] = "tag", ["name"] = tag, ["target"] = new JsonObject { ["type"] = "commit", ["hash"] = commit } },
                    ["old"] = null,
                    ["created"] = true,
                    ["closed"] = false,
                }),
            },
            ["repository"] = new JsonObject
            {
                ["type"] = "repository",
                ["full_name"] = "acme/api",
                ["uuid"] = repositoryUuid,
                ["workspace"] = new JsonObject { ["type"] = "workspace", ["slug"] = SampleWorkspace.Slug, ["uuid"] = SampleWorkspace.Uuid },
            },
        }.ToJsonString());
        var webhook = new SampleWebhook(WebhookPayload.Push, Guid.NewGuid().ToString(), body);
        var payload = WebhookPayload.Read(webhook.EventKey, body).Payload ?? throw new InvalidOperationException("the sample webhook does not parse");
        return (webhook, WebhookTriggers.From(webhook.RequestUuid, webhook.EventKey, DateTimeOffset.UtcNow, payload, payload.Changes[0]));
    }

    /// <summary>Posts the webhook to the ingress with Bitbucket's headers and signature; throws unless it is answered 202.</summary>
    public async Task DeliverAsync(SampleWebhook webhook, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{IngressPort}") };
        using var content = new ByteArrayContent(webhook.Body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/webhooks/bitbucket") { Content = content };
        request.Headers.Add("X-Event-Key", webhook.EventKey);
        request.Headers.Add("X-Hook-UUID", HookUuid.Trim('{', '}')); // bare, as Bitbucket sends it (the settings name it braced)
        request.Headers.Add("X-Request-UUID", webhook.RequestUuid);
        request.Headers.Add("X-Attempt-Number", "1");
        request.Headers.UserAgent.ParseAdd("Bitbucket-Webhooks/2.0");
        request.Headers.Add("X-Hub-Signature", WebhookSignatures.Sign(secret, webhook.Body));
        using var response = await client.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException(
                $"The ingress answered the sample webhook {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
