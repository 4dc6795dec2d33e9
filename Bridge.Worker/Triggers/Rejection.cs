namespace Bridge.Worker.Triggers;

/// <summary>
/// Why a trigger starts nothing: a machine-readable <see cref="Reason"/> (the dead letter's <c>Bridge-Reject-Reason</c>)
/// and <see cref="Why"/> in words, which never contain a token.
/// </summary>
internal sealed record Rejection(string Reason, string Why) : AdmissionVerdict
{
    /// <summary>The usual form: <c>Rejected (reason): why</c>.</summary>
    public static Rejection Of(string reason, string why) => new(reason, $"Rejected ({reason}): {why}");
}
