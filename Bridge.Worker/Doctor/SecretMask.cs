using System.Text.RegularExpressions;

namespace Bridge.Worker.Doctor;

/// <summary>What <c>bridge doctor</c> prints of a setting: secrets as <c>***</c>, URLs without their password.</summary>
internal static partial class SecretMask
{
    public const string Mask = "***";

    public static string Value(string key, string value)
    {
        if (value.Length == 0)
        {
            return value;
        }

        var name = key[(key.LastIndexOf(':') + 1)..];
        return SecretName().IsMatch(name) ? Mask : Uri.TryCreate(value, UriKind.Absolute, out var url) ? Url(url) : value;
    }

    /// <summary>The URL with the password of its user info replaced by <c>***</c>.</summary>
    public static string Url(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var colon = url.UserInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? url.OriginalString : $"{url.Scheme}://{url.UserInfo[..colon]}:{Mask}@{url.Authority}{url.PathAndQuery}{url.Fragment}";
    }

    [GeneratedRegex("secret|password|token|apikey|basicauth|privatekey", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
