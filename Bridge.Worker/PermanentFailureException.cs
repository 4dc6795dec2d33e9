namespace Bridge.Worker;

/// <summary>
/// A failure that retrying cannot fix (bad input, a missing deployment, a refused request). The message is moved to
/// the <c>_error</c> queue at once, with <see cref="Reason"/> as a machine-readable code.
/// </summary>
internal class PermanentFailureException(string reason, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string Reason { get; } = reason;
}
