using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Worker.Redrive;

/// <summary>
/// The <c>exp</c> of a JWT, read from its payload without checking anything else: redrive only says whether the token
/// has expired since, so that the event would come back as <c>expired-in-queue</c>. Nothing of the token is kept or shown.
/// </summary>
internal static class TokenExpiry
{
    public static DateTimeOffset? Of(string? jwt)
    {
        if (string.IsNullOrEmpty(jwt))
        {
            return null;
        }

        try
        {
            return new JsonWebToken(jwt).TryGetPayloadValue<long>("exp", out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException)
        {
            return null;
        }
    }
}
