using System.Security.Cryptography;
using System.Text;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Triggers;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Webhooks;

/// <summary>
/// Checks <c>X-Hub-Signature</c> (<c>sha256=</c> + hex HMAC-SHA256 of the raw body, keyed with the hook's secret) in
/// constant time. The ingress checks it before queueing a delivery and the worker again before acting on it.
/// </summary>
internal sealed class WebhookSignatures(IOptions<WebhookOptions> options)
{
    private const string Prefix = "sha256=";

    /// <summary>Null when <paramref name="signature"/> is the named hook's signature of <paramref name="body"/>; else why not.</summary>
    public Rejection? Verify(string? hookUuid, ReadOnlySpan<byte> body, string? signature)
    {
        var hook = options.Value.Hooks.FirstOrDefault(h => BitbucketUuid.Same(h.Uuid, hookUuid));
        if (hook is null)
        {
            return Rejection.Of(
                WebhookRejectReasons.UnknownHook, $"webhook {hookUuid ?? "(no X-Hook-UUID)"} is not one of {WebhookOptions.Section}:Hooks");
        }

        if (string.IsNullOrEmpty(signature))
        {
            return Rejection.Of(WebhookRejectReasons.Unsigned, "the delivery has no X-Hub-Signature; set the webhook's secret in Bitbucket");
        }

        return Matches(hook.Secret, body, signature)
            ? null
            : Rejection.Of(WebhookRejectReasons.BadSignature, $"X-Hub-Signature does not match the body for webhook {hookUuid}; check its secret");
    }

    /// <summary>The header value Bitbucket sends for <paramref name="body"/> signed with <paramref name="secret"/>.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static bool Matches(string secret, ReadOnlySpan<byte> body, string signature)
    {
        if (!signature.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(signature.AsSpan(Prefix.Length).Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
