using Bridge.Worker.Cli;
using Bridge.Worker.Identity;

namespace Bridge.Worker.Redrive;

/// <summary>
/// What <c>bridge redrive</c> prints: one line per matching dead letter (<c>moved</c>, or <c>would move</c> with
/// <c>--dry-run</c>) with its event, repository, reason, age and whether its token has expired since; then a summary.
/// Never the token, a header value other than the reason, or the body.
/// </summary>
internal sealed class RedriveReport(TextWriter output, RedriveRequest request, DateTimeOffset now)
{
    public int Read { get; private set; }

    public int Moved { get; private set; }

    public int Skipped { get; private set; }

    public int PastLimit { get; private set; }

    public int ExpiredTokens { get; private set; }

    public bool LimitReached => request.Limit is { } limit && Moved >= limit;

    public void Move(DeadLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        Read++;
        Moved++;
        var expired = letter.TokenExpiresAt is { } expires && expires <= now;
        if (expired)
        {
            ExpiredTokens++;
        }

        output.WriteLine(
            $"{(request.DryRun ? "would move" : "moved")} {letter.Subject}  repository {letter.Repository ?? "(unknown)"}  reason {letter.Reason}  "
            + $"age {Age(letter)}  {Token(letter.TokenExpiresAt)}");
    }

    /// <summary>Left in <c>_error</c>: it did not match, or matched past <c>--limit</c>.</summary>
    public void Left(bool matched)
    {
        Read++;
        if (matched)
        {
            PastLimit++;
        }
        else
        {
            Skipped++;
        }
    }

    public void Summary(string? stoppedBy)
    {
        var verb = request.DryRun ? "Would move" : "Moved";
        var line = $"{verb} {Moved} of {Read} dead letters read from {request.ErrorQueue} to {request.Queue}; {Skipped} did not match";
        if (PastLimit > 0)
        {
            line += $", {PastLimit} more matched past --limit {request.Limit}";
        }

        line += $"; {ExpiredTokens} of the {(request.DryRun ? "matching" : "moved")} carry an expired token";
        if (ExpiredTokens > 0)
        {
            line += $" ({(request.DryRun ? "they would come" : "they come")} back as {RejectReasons.ExpiredInQueue})";
        }

        output.WriteLine(line + (request.DryRun ? ". Dry run: nothing was moved." : "."));
        if (stoppedBy is not null)
        {
            output.WriteLine($"Stopped before the end ({stoppedBy}): what was moved is in {request.Queue}, everything else is still in {request.ErrorQueue}.");
        }
    }

    private string Age(DeadLetter letter) => letter.DiedAt is { } died
        ? $"{Durations.Format(Whole(now - died))} ({letter.DiedAtSource})"
        : "unknown (no MT-Fault-Timestamp or x-death header)";

    private string Token(DateTimeOffset? expires) => expires switch
    {
        null => "no token expiry",
        { } at when at <= now => $"token expired {Durations.Format(Whole(now - at))} ago",
        { } at => $"token valid for {Durations.Format(Whole(at - now))}",
    };

    private static TimeSpan Whole(TimeSpan span) => span < TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Floor(span.TotalSeconds));
}
