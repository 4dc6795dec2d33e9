using Serilog.Core;
using Serilog.Events;

namespace Bridge.Worker.Observability;

/// <summary>
/// The text format's trace and span ids: an event written while a span is current gets them as the properties
/// <c>TraceId</c> and <c>SpanId</c> (the names the JSON format gives them), so the line's <c>{Properties:j}</c> shows them;
/// any other event gets nothing, so its line carries no empty id.
/// </summary>
internal sealed class TraceIdsEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        if (logEvent.TraceId is { } trace)
        {
            logEvent.AddPropertyIfAbsent(new LogEventProperty("TraceId", new ScalarValue(trace.ToHexString())));
        }

        if (logEvent.SpanId is { } span)
        {
            logEvent.AddPropertyIfAbsent(new LogEventProperty("SpanId", new ScalarValue(span.ToHexString())));
        }
    }
}
