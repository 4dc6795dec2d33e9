using System.Diagnostics.CodeAnalysis;

namespace Bridge.Sandbox.Emulators;

/// <summary>Queues failures per endpoint name; each request to that endpoint consumes one, first in first out.</summary>
internal sealed class FaultInjector(IReadOnlySet<string> endpointNames)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Queue<InjectedFault>> pending = new(StringComparer.Ordinal);

    public void FailNext(string endpointName, int count, int statusCode, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(endpointName);
        if (!endpointNames.Contains(endpointName))
        {
            throw new ArgumentException(
                $"Unknown endpoint '{endpointName}'; use one of: {string.Join(", ", endpointNames.Order(StringComparer.Ordinal))}.",
                nameof(endpointName));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        if (retryAfter is { } delay)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, nameof(retryAfter));
        }

        lock (gate)
        {
            if (!pending.TryGetValue(endpointName, out var queue))
            {
                pending[endpointName] = queue = new Queue<InjectedFault>();
            }

            for (var i = 0; i < count; i++)
            {
                queue.Enqueue(new InjectedFault(statusCode, retryAfter));
            }
        }
    }

    public bool TryTake(string endpointName, [NotNullWhen(true)] out InjectedFault? fault)
    {
        lock (gate)
        {
            if (pending.TryGetValue(endpointName, out var queue) && queue.TryDequeue(out var next))
            {
                fault = next;
                return true;
            }
        }

        fault = null;
        return false;
    }

    /// <summary>Retry-After as whole seconds, rounded up (HTTP's delay-seconds form, which every client parses).</summary>
    public static string FormatRetryAfter(TimeSpan delay) =>
        ((long)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
