using System.Net.Sockets;
using RabbitMQ.Client.Exceptions;
using Serilog.Core;
using Serilog.Events;

namespace Bridge.Worker.Observability;

/// <summary>
/// MassTransit's lines about a lost broker connection (a warning per failed reconnect attempt, the retry's delay) are
/// written without their exception: each attempt is one line, its <c>Reason</c> the innermost error (<c>Connection
/// refused</c>), not three screens of the same stack trace. Every other event passes unchanged.
/// </summary>
internal sealed class BrokerConnectionLines(ILogEventSink inner) : ILogEventSink, IDisposable
{
    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        if (logEvent.Exception is not { } exception || !FromMassTransit(logEvent) || !IsConnectionLoss(exception))
        {
            inner.Emit(logEvent);
            return;
        }

        var properties = logEvent.Properties.Select(p => new LogEventProperty(p.Key, p.Value)).ToList();
        properties.Add(new LogEventProperty("Reason", new ScalarValue(exception.GetBaseException().Message)));
        inner.Emit(new LogEvent(logEvent.Timestamp, logEvent.Level, null, logEvent.MessageTemplate, properties, logEvent.TraceId ?? default, logEvent.SpanId ?? default));
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();

    private static bool FromMassTransit(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue(Constants.SourceContextPropertyName, out var source)
        && source is ScalarValue { Value: string name }
        && name.StartsWith("MassTransit", StringComparison.Ordinal);

    private static bool IsConnectionLoss(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is MassTransit.RabbitMqConnectionException or BrokerUnreachableException or AlreadyClosedException or SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
