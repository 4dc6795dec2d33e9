namespace Bridge.Worker.Identity;

/// <summary>
/// The event failed verification: it starts no run and goes to <c>_error</c> with <see cref="PermanentFailureException.Reason"/>
/// (one of <see cref="RejectReasons"/>). The message says why in words and never contains the token.
/// </summary>
internal class EventRejectedException(string reason, string message) : PermanentFailureException(reason, message);
