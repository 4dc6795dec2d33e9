using System.Buffers.Text;
using System.Text.Json;

namespace Bridge.Worker.Redrive;

/// <summary>
/// The <c>exp</c> of a JWT, read from its payload without checking anything else: redrive only says whether the token
/// has expired since, so that the event would come back as <c>expired-in-queue</c>. Nothing of the token is kept or shown.
/// </summary>
internal static class TokenExpiry
{
    public static DateTimeOffset? Of(string? jwt)
    {
        if (jwt?.Split('.') is not [_, var payload, _])
        {
            return null;
        }

        try
        {
            using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(payload));
            return claims.RootElement.ValueKind == JsonValueKind.Object
                && claims.RootElement.TryGetProperty("exp", out var exp)
                && exp.TryGetInt64(out var seconds)
                && seconds >= 0 && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
                    ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                    : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
