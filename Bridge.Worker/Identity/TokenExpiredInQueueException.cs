namespace Bridge.Worker.Identity;

/// <summary>
/// A genuine token (signature, issuer, audience and claims verified) that expired while the message waited in the queue.
/// <see cref="Identity"/> is what it proves, so the commit can still be checked and told to re-run the step.
/// </summary>
internal sealed class TokenExpiredInQueueException(TimeSpan waited, VerifiedIdentity identity)
    : EventRejectedException(
        RejectReasons.ExpiredInQueue,
        $"the token expired while the message waited {waited.TotalSeconds:0} s in the queue; re-run the step")
{
    public TimeSpan Waited { get; } = waited;

    public VerifiedIdentity Identity { get; } = identity;
}
