namespace Bridge.Worker.Correlation;

/// <summary>One status to post on a run's commit, through <see cref="StatusReporter"/>.</summary>
internal sealed record StatusPost(CorrelatedRun Run, StatusUpdate Update, ReportPath Path)
{
    /// <summary>The run's <c>bridge.reported</c> label as Prefect showed it: when set, its final status is already posted.</summary>
    public string? AlreadyReported { get; init; }

    /// <summary>When the event that started the run was published (dispatch only), for the publish → INPROGRESS histogram.</summary>
    public DateTimeOffset? SentAt { get; init; }

    /// <summary>When the run ended as Prefect recorded it; null when unknown (a final status is then checked on the commit first).</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>
    /// Runs under the run's status lock before the post, which happens only when it returns true: cancelling a
    /// superseded run must not let the Cancelled event it causes post its own status first.
    /// </summary>
    public Func<CancellationToken, Task<bool>>? Before { get; init; }
}
