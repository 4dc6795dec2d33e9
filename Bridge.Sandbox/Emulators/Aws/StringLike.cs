using System.Text.RegularExpressions;

namespace Bridge.Sandbox.Emulators.Aws;

/// <summary>IAM's StringLike: case-sensitive, <c>*</c> any run of characters, <c>?</c> one character.</summary>
internal static class StringLike
{
    public static bool Matches(string pattern, string value)
    {
        var regex = "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(value, regex, RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
