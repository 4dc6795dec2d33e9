using Bridge.Worker.Triggers;

namespace Bridge.Worker.Identity;

/// <summary>
/// Thrown only at the queue's edge, so that MassTransit moves a rejected message to <c>_error</c> with
/// <see cref="PermanentFailureException.Reason"/> (one of <see cref="RejectReasons"/>) as its <c>Bridge-Reject-Reason</c>.
/// The message says why in words and never contains the token.
/// </summary>
internal sealed class EventRejectedException(Rejection rejection) : PermanentFailureException(rejection.Reason, rejection.Why);
