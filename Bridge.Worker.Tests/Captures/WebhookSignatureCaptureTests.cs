using System.Text;
using System.Text.RegularExpressions;
using Bridge.Worker.Identity;
using Bridge.Worker.Webhooks;
using Microsoft.Extensions.Options;
using static Bridge.Tests.Captures.CaptureAssert;

namespace Bridge.Tests.Captures;

/// <summary>
/// <see cref="WebhookSignatures"/> on the known X-Hub-Signature test vector (jenkins-hmac-vector.txt over the exact bytes
/// of jenkins-cloud-signed_payload.json) and on the real headers of the 2016 smalot capture.
/// </summary>
public sealed partial class WebhookSignatureCaptureTests
{
    private const string SignedBody = "jenkins-cloud-signed_payload.json";

    private static readonly Vector Known = Vector.Read();

    [Fact]
    public void Signed_body_is_the_captured_14515_bytes()
    {
        Same(14_515, CaptureFiles.Webhook(SignedBody).Length, $"size of {SignedBody}; the vector covers these exact bytes, so the copy must not be reformatted");
    }

    [Fact]
    public void Known_test_vector_signature_is_what_bridge_computes_for_the_body()
    {
        Same(Known.Good, WebhookSignatures.Sign(Known.Secret, CaptureFiles.Webhook(SignedBody)), "X-Hub-Signature computed for the vector's body and secret");
        That(WebhookSignatures.Matches(Known.Secret, CaptureFiles.Webhook(SignedBody), Known.Good), "the vector's good X-Hub-Signature did not match its body");
    }

    [Fact]
    public void Known_test_vector_is_accepted_by_the_hook_with_its_secret()
    {
        var hooks = Hooks(HookUuid, Known.Secret);

        Accepted(hooks.Verify(HookUuid.Trim('{', '}'), CaptureFiles.Webhook(SignedBody), Known.Good), "the vector's good X-Hub-Signature");
    }

    [Fact]
    public void Known_test_vector_with_its_last_hex_digit_changed_is_rejected_as_bad_signature()
    {
        var hooks = Hooks(HookUuid, Known.Secret);

        var error = Refused(hooks.Verify(HookUuid, CaptureFiles.Webhook(SignedBody), Known.Bad), "the vector's bad X-Hub-Signature (last digit changed)");

        Same(WebhookRejectReasons.BadSignature, error.Reason, "reject reason of the vector's bad signature");
    }

    [Fact]
    public void Known_test_vector_does_not_match_the_body_with_a_trailing_newline()
    {
        var reformatted = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(CaptureFiles.Webhook(SignedBody)) + "\n");

        That(!WebhookSignatures.Matches(Known.Secret, reformatted, Known.Good), "the signature must cover the raw bytes, yet it matched the body with a newline appended");
    }

    [Fact]
    public void Real_bare_x_hook_uuid_finds_the_hook_configured_with_braces_and_an_unsigned_delivery_is_refused_as_unsigned()
    {
        var headers = CaptureFiles.SmalotHeaders();
        var hookUuid = headers["X-Hook-Uuid"];
        That(!hookUuid.StartsWith('{'), $"the captured X-Hook-Uuid is bare, got '{hookUuid}'");
        That(!headers.ContainsKey("X-Hub-Signature"), "the 2016 capture has no X-Hub-Signature (its hook had no secret)");
        var hooks = Hooks($"{{{hookUuid}}}", Known.Secret);

        var error = Refused(
            hooks.Verify(hookUuid, CaptureFiles.Webhook("smalot-push-tag-body.json"), headers.GetValueOrDefault("X-Hub-Signature")),
            "the smalot delivery, which has no X-Hub-Signature");

        Same(WebhookRejectReasons.Unsigned, error.Reason, $"reject reason of the unsigned delivery from bare hook {hookUuid} (unknown-hook means the bare UUID was not matched)");
    }

    [Fact]
    public void Real_captured_content_length_is_the_body_length()
    {
        var headers = CaptureFiles.SmalotHeaders();

        Same(headers["Content-Length"], CaptureFiles.Webhook("smalot-push-tag-body.json").Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "Content-Length of the smalot capture against its saved body (the body file must be the exact bytes)");
    }

    private const string HookUuid = "{908a6d9e-45fd-46c8-97e6-c4f350f219dd}";

    private static WebhookSignatures Hooks(string uuid, string secret) =>
        new(Options.Create(new WebhookOptions { Hooks = [new WebhookHookOptions { Uuid = uuid, Secret = secret }] }));

    /// <summary>The secret and the good and bad headers, read from jenkins-hmac-vector.txt.</summary>
    private sealed record Vector(string Secret, string Good, string Bad)
    {
        public static Vector Read()
        {
            var text = Encoding.UTF8.GetString(CaptureFiles.Webhook("jenkins-hmac-vector.txt"));
            var secret = SecretLine().Match(text);
            var signatures = SignatureLine().Matches(text);
            if (!secret.Success || signatures.Count != 2)
            {
                throw new Xunit.Sdk.XunitException("jenkins-hmac-vector.txt no longer has a 'secret :' line and two X-Hub-Signature lines");
            }

            return new Vector(secret.Groups[1].Value.Trim(), signatures[0].Groups[1].Value, signatures[1].Groups[1].Value);
        }
    }

    [GeneratedRegex(@"^secret\s*:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex SecretLine();

    [GeneratedRegex(@"X-Hub-Signature: (sha256=[0-9a-f]{64})")]
    private static partial Regex SignatureLine();
}
