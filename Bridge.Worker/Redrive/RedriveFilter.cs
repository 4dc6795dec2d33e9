namespace Bridge.Worker.Redrive;

/// <summary>
/// Which dead letters to move: any of <see cref="Reasons"/> (matched against every reason header, case-insensitively;
/// none given: every reason), and an age window measured from the dead letter's own time (<see cref="DeadLetter.DiedAt"/>).
/// A dead letter whose time is unknown never matches an age filter.
/// </summary>
internal sealed record RedriveFilter(IReadOnlyCollection<string> Reasons, TimeSpan? OlderThan, TimeSpan? NewerThan)
{
    public static readonly RedriveFilter All = new([], null, null);

    public bool Matches(DeadLetter letter, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(letter);
        if (Reasons.Count > 0 && !letter.Reasons.Any(reason => Reasons.Contains(reason, StringComparer.OrdinalIgnoreCase)))
        {
            return false;
        }

        if (OlderThan is null && NewerThan is null)
        {
            return true;
        }

        if (letter.DiedAt is not { } died)
        {
            return false;
        }

        var age = now - died;
        return (OlderThan is not { } older || age >= older) && (NewerThan is not { } newer || age <= newer);
    }
}
