namespace Bridge.Worker.Routing;

/// <summary>
/// Bitbucket Cloud names refs bare (<c>v1.2.0</c>, <c>main</c>); people often write <c>refs/tags/v*</c>.
/// Both sides are compared without the <c>refs/heads/</c> or <c>refs/tags/</c> prefix.
/// </summary>
internal static class RefNames
{
    private static readonly string[] Prefixes = ["refs/heads/", "refs/tags/"];

    public static string Bare(string name)
    {
        foreach (var prefix in Prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return name[prefix.Length..];
            }
        }

        return name;
    }
}
