using Bridge.Worker.Triggers;

namespace Bridge.Worker.Credentials;

/// <summary>
/// What one cloud answered an exchange: the session, or why it (or Bridge, before asking) refused. A refusal names the
/// cloud, the role or app and the error code — never a token or key. Outages are not answers: they stay
/// <see cref="UpstreamUnavailableException"/>, so the event is retried.
/// </summary>
internal sealed record CloudAnswer<TSession>(TSession? Session, Rejection? Refused)
    where TSession : class
{
    public const string Reason = "credentials-refused";

    public static CloudAnswer<TSession> Granted(TSession session) => new(session, null);

    public static CloudAnswer<TSession> Refusal(string why) => new(null, new Rejection(Reason, why));
}
