using Bridge.Worker.Identity;
using MassTransit;

namespace Bridge.Worker.Queue;

/// <summary>
/// Puts a machine-readable reason on every dead-lettered message, next to MassTransit's <c>MT-Fault-*</c> headers:
/// <c>Bridge-Reject-Reason</c> for an event verification refused; <c>Bridge-Failure-Reason</c> for every failure — the
/// permanent failure's reason, <c>unreadable-message</c> for a body MassTransit could not read as the queue's message
/// type (it never reached the consumer), <c>{upstream}-unavailable</c> once the retries of an outage are spent, and
/// <c>unexpected</c> for anything else.
/// </summary>
internal sealed class FailureReasonHeaderFilter : IFilter<ExceptionReceiveContext>
{
    public const string RejectReasonHeader = "Bridge-Reject-Reason";
    public const string FailureReasonHeader = "Bridge-Failure-Reason";

    public Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var failure = Find<PermanentFailureException>(context.Exception);
        context.ExceptionHeaders.Set(FailureReasonHeader, failure?.Reason ?? Reason(context.Exception));
        if (failure is EventRejectedException)
        {
            context.ExceptionHeaders.Set(RejectReasonHeader, failure.Reason);
        }

        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("bridgeFailureReason");

    private static string Reason(Exception? exception) =>
        Find<UpstreamUnavailableException>(exception) is { } outage ? $"{outage.Upstream}-unavailable"
        : Find<System.Text.Json.JsonException>(exception) is not null ? "unreadable-message"
        : "unexpected";

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }
}
