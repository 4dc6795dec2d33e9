namespace Bridge.Worker.Bitbucket;

/// <summary>
/// One of Bitbucket's UUIDs (workspace, repository, pipeline, step, hook, request). Bitbucket writes them in braces
/// (<c>{0b7d…}</c>) in its API and tokens, and bare in some headers; two are the same whatever the braces and case.
/// <see cref="ToString"/> gives the braced, lower-case form Bitbucket's API takes.
/// </summary>
internal readonly record struct BitbucketUuid(Guid Value)
{
    /// <summary>The braced form, as an event, a token claim or a route file must give it.</summary>
    public static bool TryParseBraced(string? text, out BitbucketUuid uuid)
    {
        var ok = Guid.TryParseExact(text, "B", out var value);
        uuid = new BitbucketUuid(value);
        return ok;
    }

    /// <summary>Braced or bare, as headers and settings may give it.</summary>
    public static bool TryParse(string? text, out BitbucketUuid uuid)
    {
        var trimmed = text?.Trim();
        var ok = Guid.TryParseExact(trimmed, "B", out var value) || Guid.TryParseExact(trimmed, "D", out value);
        uuid = new BitbucketUuid(value);
        return ok;
    }

    public static bool IsBraced(string? text) => TryParseBraced(text, out _);

    /// <summary>True when both name the same UUID (braces and case aside); false when either is not a UUID.</summary>
    public static bool Same(string? a, string? b) => TryParse(a, out var x) && TryParse(b, out var y) && x == y;

    /// <summary>Lower case, without braces: <c>0b7d…</c>.</summary>
    public string Bare => Value.ToString("D");

    public override string ToString() => Value.ToString("B");
}
