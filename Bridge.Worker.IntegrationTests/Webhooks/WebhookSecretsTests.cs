using Bridge.Tests.Identity;
using System.Net;
using System.Text;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Ingress;
using Bridge.Tests.Support;
using Bridge.Worker.Webhooks;

namespace Bridge.Tests.Webhooks;

/// <summary>A hook's secret, and the signatures made with it, never reach a log line or an answer, whatever the ingress answers.</summary>
[Collection(BrokerCollection.Name)]
public sealed class WebhookSecretsTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Hook_secret_and_signatures_never_reach_logs_or_answers()
    {
        var logs = new CapturingLoggerProvider();
        var settings = WebhookSamples.Settings();
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().WithComposition(settings).WithLogs(logs).StartAsync();
        var accepted = WebhookSamples.Push("tag", "v6.0.0", SampleEvents.Sha());
        var refused = WebhookSamples.Push("tag", "v6.0.1", SampleEvents.Sha());
        var unreadable = "{\"push\": {}}";

        using var ok = await WebhookSamples.DeliverAsync(ingress.Client, WebhookPayload.Push, accepted, WebhookSamples.RequestUuid(), WebhookSamples.Secret);
        using var wrong = await WebhookSamples.DeliverAsync(ingress.Client, WebhookPayload.Push, refused, WebhookSamples.RequestUuid(), "a-different-secret-entirely");
        using var bad = await WebhookSamples.DeliverAsync(ingress.Client, WebhookPayload.Push, unreadable, WebhookSamples.RequestUuid(), WebhookSamples.Secret);
        await ingress.WaitForAcceptedStatusesAsync();

        Assert.Equal(
            [HttpStatusCode.Accepted, HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest],
            [ok.StatusCode, wrong.StatusCode, bad.StatusCode]);
        var answers = string.Join('\n', await ok.Content.ReadAsStringAsync(), await wrong.Content.ReadAsStringAsync(), await bad.Content.ReadAsStringAsync());
        var text = string.Join('\n', logs.Entries.Select(e => e.Text));
        Assert.Contains(WebhookRejectReasons.BadSignature, text, StringComparison.Ordinal);
        foreach (var secret in new[]
        {
            WebhookSamples.Secret,
            SignatureHex(accepted), SignatureHex(refused), SignatureHex(unreadable),
        })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, answers, StringComparison.Ordinal);
        }
    }

    /// <summary>The correct signature of <paramref name="body"/>: what an attacker would need, so it is kept out of logs too.</summary>
    private static string SignatureHex(string body) => WebhookSignatures.Sign(WebhookSamples.Secret, Encoding.UTF8.GetBytes(body))["sha256=".Length..];
}
