using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Serilog.Events;

namespace Bridge.Tests.Support;

/// <summary>
/// Records every log line the worker writes: the formatted message, the exception's full text, and every value of
/// the state and of the active scopes, so tests can search all of it for secrets. In a worker, Serilog forwards each
/// event it writes with its properties as the state (scopes included, as properties), so what is searched is what its
/// sinks render.
/// </summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private const int MaxDepth = 4;

    private readonly ConcurrentQueue<CapturedLog> entries = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLog> Entries => [.. entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static void Collect(object? value, List<string> into, int depth)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                into.Add(text);
                return;
            case ScalarValue scalar:
                Collect(scalar.Value, into, depth);
                return;
            case StructureValue structure when depth < MaxDepth:
                into.Add(structure.TypeTag ?? string.Empty);
                foreach (var property in structure.Properties)
                {
                    into.Add(property.Name);
                    Collect(property.Value, into, depth + 1);
                }

                return;
            case SequenceValue sequence when depth < MaxDepth:
                foreach (var element in sequence.Elements)
                {
                    Collect(element, into, depth + 1);
                }

                return;
            case DictionaryValue dictionary when depth < MaxDepth:
                foreach (var (key, item) in dictionary.Elements)
                {
                    Collect(key, into, depth + 1);
                    Collect(item, into, depth + 1);
                }

                return;
            case IEnumerable<KeyValuePair<string, object?>> pairs when depth < MaxDepth:
                foreach (var (key, item) in pairs)
                {
                    into.Add(key);
                    Collect(item, into, depth + 1);
                }

                return;
            case IEnumerable items when depth < MaxDepth:
                into.Add(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
                foreach (var item in items)
                {
                    Collect(item, into, depth + 1);
                }

                return;
            default:
                into.Add(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
                return;
        }
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new List<string>();
            Collect(state, values, 0);
            var scopeValues = new List<string>();
            owner.scopes.ForEachScope((scope, list) => Collect(scope, list, 0), scopeValues);
            owner.entries.Enqueue(new CapturedLog(logLevel, category, formatter(state, exception), exception?.ToString(), values, scopeValues));
        }
    }
}

/// <summary>One captured log line: its state's values, its scopes' values; <see cref="Text"/> is all of it, for searching.</summary>
internal sealed record CapturedLog(
    LogLevel Level, string Category, string Message, string? Exception, IReadOnlyList<string> Values, IReadOnlyList<string> Scopes)
{
    public string Text => string.Join('\n', [Category, Message, Exception ?? string.Empty, .. Values, .. Scopes]);

    public override string ToString() => $"{Level} {Category}: {Message}";
}
