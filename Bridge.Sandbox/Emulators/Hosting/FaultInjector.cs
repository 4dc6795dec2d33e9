using System.Diagnostics.CodeAnalysis;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// Queues failures per endpoint name; each request to that endpoint consumes one, first in first out. Beside the queue,
/// random faults (<see cref="FailAtRandom"/>) answer a share of the requests, drawn from a seeded <see cref="Random"/>
/// so that a run can be repeated.
/// </summary>
internal sealed class FaultInjector(IReadOnlySet<string> endpointNames)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Queue<InjectedFault>> pending = new(StringComparer.Ordinal);
    private IReadOnlyList<RandomFault> randomFaults = [];
    private Random random = new(0);

    public void FailNext(string endpointName, int count, int statusCode, TimeSpan? retryAfter)
    {
        CheckName(endpointName);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        CheckStatus(statusCode, retryAfter);
        Enqueue(endpointName, count, new InjectedFault(statusCode, retryAfter));
    }

    /// <summary>The next <paramref name="count"/> requests to the endpoint are served, then their connection is cut unanswered.</summary>
    public void DropResponseNext(string endpointName, int count)
    {
        CheckName(endpointName);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Enqueue(endpointName, count, new InjectedFault(0, null, DropResponse: true));
    }

    /// <summary>
    /// Of the next <paramref name="count"/> × <paramref name="every"/> requests to the endpoint, the first of every
    /// <paramref name="every"/> is served and its connection cut unanswered; the others are served as usual.
    /// </summary>
    public void DropResponseOfEvery(string endpointName, int every, int count)
    {
        CheckName(endpointName);
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        for (var i = 0; i < count; i++)
        {
            Enqueue(endpointName, 1, new InjectedFault(0, null, DropResponse: true));
            Enqueue(endpointName, every - 1, InjectedFault.None);
        }
    }

    /// <summary>
    /// From now on one draw per request (from <c>new Random(seed)</c>) picks the first fault whose share it falls into,
    /// the shares laid end to end; an empty list stops random faults. Queued faults (<see cref="FailNext"/>) go first.
    /// </summary>
    public void FailAtRandom(int seed, IReadOnlyList<RandomFault> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        foreach (var fault in faults)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(fault.Probability, 0.0);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(fault.Probability, 1.0);
            CheckStatus(fault.StatusCode, fault.RetryAfter);
            foreach (var name in fault.Endpoints ?? endpointNames)
            {
                CheckName(name);
            }
        }

        if (faults.Sum(f => f.Probability) > 1.0)
        {
            throw new ArgumentException("The random faults' probabilities add up to more than 1.", nameof(faults));
        }

        lock (gate)
        {
            random = new Random(seed);
            randomFaults = [.. faults];
        }
    }

    public bool TryTake(string endpointName, [NotNullWhen(true)] out InjectedFault? fault)
    {
        lock (gate)
        {
            if (pending.TryGetValue(endpointName, out var queue) && queue.TryDequeue(out var next))
            {
                fault = ReferenceEquals(next, InjectedFault.None) ? null : next;
                return fault is not null;
            }

            if (randomFaults.Count > 0)
            {
                var draw = random.NextDouble();
                foreach (var candidate in randomFaults)
                {
                    if (draw < candidate.Probability)
                    {
                        if (candidate.Endpoints?.Contains(endpointName) ?? true)
                        {
                            fault = new InjectedFault(candidate.StatusCode, candidate.RetryAfter);
                            return true;
                        }

                        break;
                    }

                    draw -= candidate.Probability;
                }
            }
        }

        fault = null;
        return false;
    }

    private void Enqueue(string endpointName, int count, InjectedFault fault)
    {
        lock (gate)
        {
            if (!pending.TryGetValue(endpointName, out var queue))
            {
                pending[endpointName] = queue = new Queue<InjectedFault>();
            }

            for (var i = 0; i < count; i++)
            {
                queue.Enqueue(fault);
            }
        }
    }

    private void CheckName(string endpointName)
    {
        ArgumentNullException.ThrowIfNull(endpointName);
        if (!endpointNames.Contains(endpointName))
        {
            throw new ArgumentException(
                $"Unknown endpoint '{endpointName}'; use one of: {string.Join(", ", endpointNames.Order(StringComparer.Ordinal))}.",
                nameof(endpointName));
        }
    }

    private static void CheckStatus(int statusCode, TimeSpan? retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        if (retryAfter is { } delay)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, nameof(retryAfter));
        }
    }

    /// <summary>Retry-After as whole seconds, rounded up (HTTP's delay-seconds form, which every client parses).</summary>
    public static string FormatRetryAfter(TimeSpan delay) =>
        ((long)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
