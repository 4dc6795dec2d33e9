using System.Diagnostics;

namespace Bridge.Worker.Observability;

/// <summary>
/// Bridge's spans, on the activity source <c>Bridge</c>: one trace per event, from the consumer through verification,
/// credential exchange, flow-run creation and the INPROGRESS post. The run carries the trace's context in a tag
/// (<see cref="TraceTagPrefix"/>), so its final status, posted later by whichever replica correlates, joins the trace.
/// Spans carry ids, names and outcomes only: never a token, key or credential.
/// </summary>
internal static class BridgeActivities
{
    public const string SourceName = "Bridge";

    /// <summary>A flow-run tag: <c>bridge-trace:</c> and the W3C <c>traceparent</c> of the event's span.</summary>
    public const string TraceTagPrefix = "bridge-trace:";

    public static readonly ActivitySource Source = new(SourceName, typeof(BridgeActivities).Assembly.GetName().Version?.ToString());

    /// <summary>A span in the current trace; null when nobody listens (tracing off).</summary>
    public static Activity? Start(string name) => Source.StartActivity(name, ActivityKind.Internal);

    /// <summary>The span of one event's whole way through the worker (its repository, commit, ref: no token).</summary>
    public static Activity? StartEvent(Triggers.Trigger trigger)
    {
        var span = Source.StartActivity("bridge.event", ActivityKind.Internal);
        span?.SetTag("bridge.event.id", trigger.Id.ToString());
        span?.SetTag("bridge.event.kind", trigger.Kind.ToString().ToLowerInvariant());
        span?.SetTag("bridge.repository", trigger.Repository.FullName);
        span?.SetTag("bridge.commit", trigger.Commit);
        span?.SetTag("bridge.ref", trigger.Ref.Name);
        return span;
    }

    /// <summary>A span in the trace of <paramref name="traceParent"/> (a <c>traceparent</c>), else in the current one.</summary>
    public static Activity? StartIn(string name, string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, traceState: null, out var parent)
            ? Source.StartActivity(name, ActivityKind.Internal, parent)
            : Start(name);

    /// <summary>The flow-run tag carrying the current span's context; null when there is none.</summary>
    public static string? CurrentTraceTag() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } id } ? TraceTagPrefix + id : null;

    /// <summary>The <c>traceparent</c> in a run's tags, or null.</summary>
    public static string? TraceParentIn(IEnumerable<string> tags) =>
        tags.FirstOrDefault(t => t.StartsWith(TraceTagPrefix, StringComparison.Ordinal))?[TraceTagPrefix.Length..];

    /// <summary>Marks the span failed with a short description (a reason, never a secret).</summary>
    public static void Failed(this Activity? activity, string reason) => activity?.SetStatus(ActivityStatusCode.Error, reason);
}
