using Bridge.Worker.Identity;
using MassTransit;

namespace Bridge.Worker.Queue;

/// <summary>
/// Puts the machine-readable reason of a permanent failure on the dead-lettered message, next to MassTransit's
/// <c>MT-Fault-*</c> headers: <c>Bridge-Reject-Reason</c> for an event verification refused, <c>Bridge-Failure-Reason</c>
/// for every permanent failure.
/// </summary>
internal sealed class FailureReasonHeaderFilter : IFilter<ExceptionReceiveContext>
{
    public const string RejectReasonHeader = "Bridge-Reject-Reason";
    public const string FailureReasonHeader = "Bridge-Failure-Reason";

    public Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var failure = Find(context.Exception);
        if (failure is not null)
        {
            context.ExceptionHeaders.Set(FailureReasonHeader, failure.Reason);
            if (failure is EventRejectedException)
            {
                context.ExceptionHeaders.Set(RejectReasonHeader, failure.Reason);
            }
        }

        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("bridgeFailureReason");

    private static PermanentFailureException? Find(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is PermanentFailureException failure)
            {
                return failure;
            }
        }

        return null;
    }
}
