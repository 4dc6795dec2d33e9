using System.Security.Cryptography;
using System.Text;

namespace Bridge.Worker.Bitbucket;

/// <summary>
/// Build-status keys: stable per (route, deployment), so each route has its own status on a commit and posting
/// again overwrites it. Bitbucket allows 40 characters, so the key is a hash, never a truncation.
/// </summary>
internal static class StatusKeys
{
    public static string For(string route, string deployment)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"bridge|{route}|{deployment}"));
        return Convert.ToHexStringLower(hash)[..40];
    }
}
