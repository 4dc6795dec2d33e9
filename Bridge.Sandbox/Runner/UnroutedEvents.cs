using System.Collections.Concurrent;

namespace Bridge.Sandbox.Runner;

/// <summary>
/// Listens to the worker's own log for "matched no route", the one outcome that leaves no trace in Prefect or
/// Bitbucket, so the sandbox can tell when such an event was acknowledged.
/// </summary>
internal sealed class UnroutedEvents : ILoggerProvider
{
    private readonly ConcurrentDictionary<Guid, bool> _seen = new();

    public event Action<Guid>? Acknowledged;

    public bool Contains(Guid eventId) => _seen.ContainsKey(eventId);

    public ILogger CreateLogger(string categoryName) => new Listener(this);

    public void Dispose()
    {
    }

    private void Record(Guid eventId)
    {
        if (_seen.TryAdd(eventId, true))
        {
            Acknowledged?.Invoke(eventId);
        }
    }

    private sealed class Listener(UnroutedEvents owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is not IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                return;
            }

            var template = values.FirstOrDefault(v => v.Key == "{OriginalFormat}").Value as string;
            if (template?.Contains("matched no route", StringComparison.Ordinal) == true
                && values.FirstOrDefault(v => v.Key == "EventId").Value is Guid id)
            {
                owner.Record(id);
            }
        }
    }
}
