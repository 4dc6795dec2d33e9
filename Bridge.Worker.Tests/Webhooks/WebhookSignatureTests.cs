using System.Text;
using Bridge.Worker.Identity;
using Bridge.Worker.Triggers;
using Bridge.Worker.Webhooks;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private const string Secret = "It's a Secret to Everybody";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("Hello, World!");

    private static readonly WebhookSignatures Hooks = new(Options.Create(new WebhookOptions
    {
        Hooks = [new WebhookHookOptions { Uuid = WebhookSamples.HookUuid, Secret = Secret }],
    }));

    [Fact]
    public void Signature_is_sha256_hmac_of_the_raw_body_in_lowercase_hex()
    {
        // HMAC-SHA256 of "Hello, World!" keyed with "It's a Secret to Everybody", the worked example GitHub documents for the same header.
        Assert.Equal("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", WebhookSignatures.Sign(Secret, Body));
    }

    [Fact]
    public void Correct_signature_is_accepted_whatever_the_case_of_the_uuid_braces_and_hex()
    {
        var signature = WebhookSignatures.Sign(Secret, Body).ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal);

        Assert.Null(Hooks.Verify(WebhookSamples.HookUuid.Trim('{', '}').ToUpperInvariant(), Body, signature));
    }

    [Theory]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18")]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d")]
    [InlineData("sha256=757107ea")]
    [InlineData("sha256=not hex at all")]
    public void Wrong_signature_is_refused(string signature)
    {
        var error = Assert.IsType<Rejection>(Hooks.Verify(WebhookSamples.HookUuid, Body, signature));

        Assert.Equal(WebhookRejectReasons.BadSignature, error.Reason);
    }

    [Fact]
    public void Body_changed_after_signing_is_refused()
    {
        var signature = WebhookSignatures.Sign(Secret, Body);

        var error = Assert.IsType<Rejection>(Hooks.Verify(WebhookSamples.HookUuid, Encoding.UTF8.GetBytes("Hello, World?"), signature));

        Assert.Equal(WebhookRejectReasons.BadSignature, error.Reason);
    }

    [Fact]
    public void Unsigned_delivery_is_refused_with_a_hint_to_set_the_secret()
    {
        var error = Assert.IsType<Rejection>(Hooks.Verify(WebhookSamples.HookUuid, Body, signature: null));

        Assert.Equal(WebhookRejectReasons.Unsigned, error.Reason);
        Assert.Contains("secret", error.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_hook_is_refused_naming_the_setting()
    {
        var error = Assert.IsType<Rejection>(Hooks.Verify("{00000000-0000-0000-0000-000000000001}", Body, WebhookSignatures.Sign(Secret, Body)));

        Assert.Equal(WebhookRejectReasons.UnknownHook, error.Reason);
        Assert.Contains("Bridge:Webhooks:Hooks", error.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Refusals_never_contain_the_secret_or_the_expected_signature()
    {
        var expected = WebhookSignatures.Sign(Secret, Body);

        var error = Assert.IsType<Rejection>(Hooks.Verify(WebhookSamples.HookUuid, Body, "sha256=00"));

        Assert.DoesNotContain(Secret, error.Why, StringComparison.Ordinal);
        Assert.DoesNotContain(expected[7..], error.Why, StringComparison.Ordinal);
    }
}
