namespace Bridge.Worker.Http;

/// <summary>
/// A condition the upstream clients' retries ask right before each retried attempt of a request made in the current
/// async flow is sent, after its back-off delay (<see cref="RetryConditionStrategy"/>; set by the caller, in its own
/// async method, before the call): a request whose purpose lapsed meanwhile, during the delay too, is not retried. Without one, every transient failure is retried as usual.
/// </summary>
internal static class RetryCondition
{
    private static readonly AsyncLocal<Func<CancellationToken, ValueTask<bool>>?> Current = new();

    private static readonly Func<CancellationToken, ValueTask<bool>> NoRetries = static _ => ValueTask.FromResult(false);

    /// <summary>Retries of the requests that follow, in this async flow, go out only while <paramref name="stillWanted"/> answers true.</summary>
    public static void While(Func<CancellationToken, ValueTask<bool>> stillWanted) => Current.Value = stillWanted;

    /// <summary>
    /// The requests that follow in this async flow get one attempt: a transient failure is returned at once, with no
    /// back-off (the caller hands the request to someone else).
    /// </summary>
    public static void Never() => Current.Value = NoRetries;

    /// <summary>False when the requests of this async flow get one attempt only (<see cref="Never"/>).</summary>
    public static bool AllowsRetries => !ReferenceEquals(Current.Value, NoRetries);

    /// <summary>No condition for the requests that follow in this async flow (those the condition itself makes, say).</summary>
    public static void Clear() => Current.Value = null;

    public static ValueTask<bool> HoldsAsync(CancellationToken cancellationToken) =>
        Current.Value is { } stillWanted ? stillWanted(cancellationToken) : ValueTask.FromResult(true);
}
