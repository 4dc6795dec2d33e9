using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Bridge.Sandbox.Emulators;

/// <summary>Checks an <c>Authorization</c> header against an expected Bearer token or Basic user:password.</summary>
internal static class AuthorizationHeader
{
    public static bool HasBearer(HttpRequest request, string token) =>
        Matches(request, "Bearer ", token);

    public static bool HasBasic(HttpRequest request, string userColonPassword) =>
        Matches(request, "Basic ", Convert.ToBase64String(Encoding.UTF8.GetBytes(userColonPassword)));

    private static bool Matches(HttpRequest request, string scheme, string expected)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = Encoding.UTF8.GetBytes(header[scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(expected));
    }
}
