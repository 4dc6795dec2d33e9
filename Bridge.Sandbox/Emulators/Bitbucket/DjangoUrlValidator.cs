using System.Globalization;
using System.Text.RegularExpressions;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// Django's <c>URLValidator</c> (the check behind Bitbucket's "Enter a valid URL."), limited to http and https: the
/// host must be <c>localhost</c>, an IPv4/IPv6 address, or a dotted name ending in an alphabetic TLD, so a
/// single-label host such as <c>http://prefect-server:4200/…</c> is refused. The path may hold URI-template braces.
/// </summary>
public static partial class DjangoUrlValidator
{
    private const int MaxLength = 2048;

    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength || value.AsSpan().IndexOfAny("\r\n\t") >= 0)
        {
            return false;
        }

        var match = Url().Match(value);
        if (!match.Success)
        {
            return false;
        }

        var port = match.Groups["port"];
        return !port.Success || int.Parse(port.Value, CultureInfo.InvariantCulture) <= 65535;
    }

    // Django: ^(?:[a-z0-9.+-]*):// (?:user(:pass)?@)? (?:ipv4|ipv6|host) (?::port)? (?:[/?#][^\s]*)? \Z, IGNORECASE,
    // host = hostname domain* tld | localhost, ul = \u00a1-\uffff; scheme restricted here to http/https.
    [GeneratedRegex(
        """
        ^https?://
        (?:[^\s:@/]+(?::[^\s:@/]*)?@)?
        (?:
            (?:0|25[0-5]|2[0-4][0-9]|1[0-9]?[0-9]?|[1-9][0-9]?)(?:\.(?:0|25[0-5]|2[0-4][0-9]|1[0-9]?[0-9]?|[1-9][0-9]?)){3}
          | \[[0-9a-f:.]+\]
          | (?:
                [a-z\u00a1-\uffff0-9](?:[a-z\u00a1-\uffff0-9-]{0,61}[a-z\u00a1-\uffff0-9])?
                (?:\.(?!-)[a-z\u00a1-\uffff0-9-]{1,63}(?<!-))*
                \.(?!-)(?:[a-z\u00a1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\.?
              | localhost
            )
        )
        (?::(?<port>[0-9]{1,5}))?
        (?:[/?#][^\s]*)?
        \z
        """,
        RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Url();
}
