using Bridge.Contracts;

namespace Bridge.Worker.Identity;

/// <summary>
/// The trust boundary: decides whether an event may be acted on before any route runs. Throws
/// <see cref="EventRejectedException"/> (reason code included) to reject it.
/// </summary>
internal interface IEventVerifier
{
    /// <param name="sentAt">When the message was published, if the transport says; else the event's <c>occurredAt</c> is used.</param>
    Task<VerifiedIdentity> VerifyAsync(PipelineEvent message, DateTimeOffset? sentAt, CancellationToken cancellationToken);
}
