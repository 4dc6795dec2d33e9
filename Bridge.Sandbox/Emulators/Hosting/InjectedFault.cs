namespace Bridge.Sandbox.Emulators;

/// <summary>
/// A failure an emulator answers with instead of serving a request; or, with <see cref="DropResponse"/>, the request is
/// served (its effect happens) and the connection is then cut before the client reads the answer.
/// </summary>
internal sealed record InjectedFault(int StatusCode, TimeSpan? RetryAfter, bool DropResponse = false)
{
    /// <summary>A place in the queue of faults that serves its request as usual.</summary>
    public static readonly InjectedFault None = new(0, null);
}
