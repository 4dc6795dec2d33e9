using Bridge.Sandbox.Emulators;
using Bridge.Sandbox.Runner;
using Bridge.Worker.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Bridge.Tests.Captures.CaptureAssert;

namespace Bridge.Tests.Captures;

/// <summary>
/// The sandbox delivers its sample webhook with the headers in the form the real 2016 capture shows
/// (smalot-push-tag-with-headers.md): a bare <c>X-Hook-UUID</c> and <c>X-Request-UUID</c>, <c>X-Attempt-Number: 1</c>,
/// Bitbucket's User-Agent. A stand-in ingress records the request; no worker or broker runs.
/// </summary>
public sealed class SandboxWebhookCaptureTests
{
    [Fact]
    public async Task Sandbox_delivers_its_webhook_with_the_header_forms_of_the_real_capture_and_a_signature_the_worker_accepts()
    {
        var captured = CaptureFiles.SmalotHeaders();
        var webhooks = new SampleWebhooks();
        var received = new TaskCompletionSource<IHeaderDictionary>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var ingress = await EmulatorHost.StartAsync(webhooks.IngressPort, LogLevel.Warning, app =>
            app.MapPost("/v1/webhooks/bitbucket", (HttpRequest request) =>
            {
                received.TrySetResult(new HeaderDictionary(request.Headers.ToDictionary(h => h.Key, h => h.Value)));
                return Results.StatusCode(StatusCodes.Status202Accepted);
            }), CancellationToken.None);
        var (webhook, _) = SampleWebhooks.TagPush("v9.9.9", "{6c66efe6-ec7b-4bda-a1cd-393d87c63afd}");

        await webhooks.DeliverAsync(webhook, CancellationToken.None);
        var headers = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));

        foreach (var name in new[] { "X-Hook-UUID", "X-Request-UUID" })
        {
            var sent = headers[name].ToString();
            var real = captured[name.Replace("UUID", "Uuid", StringComparison.Ordinal)];
            That(Guid.TryParse(sent, out _) && !sent.Contains('{', StringComparison.Ordinal) && sent.Length == real.Length,
                $"the sandbox sent {name}: '{sent}'; Bitbucket sends a bare UUID like '{real}'");
        }

        Same(captured["X-Attempt-Number"], headers["X-Attempt-Number"].ToString(), "X-Attempt-Number of the sandbox's first delivery");
        Same(captured["User-Agent"], headers.UserAgent.ToString(), "User-Agent of the sandbox's delivery");
        Same(captured["X-Event-Key"], headers["X-Event-Key"].ToString(), "X-Event-Key of the sandbox's tag push");
        Same(captured["Content-Type"], headers.ContentType.ToString(), "Content-Type of the sandbox's delivery");

        // The braced hook of the settings still finds the bare header, and the signature is over the body sent.
        var settings = webhooks.Settings().ToDictionary(s => s.Key, s => s.Value);
        var hooks = new WebhookSignatures(Options.Create(new WebhookOptions
        {
            Hooks = [new WebhookHookOptions { Uuid = settings["Bridge:Webhooks:Hooks:0:Uuid"]!, Secret = settings["Bridge:Webhooks:Hooks:0:Secret"]! }],
        }));
        CaptureAssert.Accepted(hooks.Verify(headers["X-Hook-UUID"].ToString(), webhook.Body, headers["X-Hub-Signature"].ToString()), "the sandbox's delivery");
    }
}
