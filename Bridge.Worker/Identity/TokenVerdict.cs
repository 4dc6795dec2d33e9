using Bridge.Worker.Triggers;

namespace Bridge.Worker.Identity;

/// <summary>What <see cref="ITokenVerifier"/> decided about a token.</summary>
internal abstract record TokenVerdict
{
    /// <summary>Genuine, current and of the expected step.</summary>
    public sealed record Verified(VerifiedIdentity Identity) : TokenVerdict;

    /// <summary>Genuine and of the expected step, but it expired after the message was sent, while it waited.</summary>
    public sealed record ExpiredInQueue(VerifiedIdentity Identity, TimeSpan Waited) : TokenVerdict;

    public sealed record Refused(Rejection Rejection) : TokenVerdict;
}
