using Bridge.Contracts;

namespace Bridge.Worker.Identity;

/// <summary>
/// The trust boundary: decides whether an event may be acted on before any route runs. Throws
/// <see cref="PermanentFailureException"/> (reason code included) to reject it.
/// </summary>
internal interface IEventVerifier
{
    Task VerifyAsync(PipelineEvent message, CancellationToken cancellationToken);
}
