using System.Globalization;

namespace Bridge.Benchmarks.Floor;

/// <summary>The floor's arguments: <c>floor AMQP-URL QUEUE UPSTREAM-URL PREFETCH CONCURRENCY</c> (the harness passes them).</summary>
internal sealed record FloorSettings(Uri Amqp, string Queue, string Upstream, ushort Prefetch, ushort Concurrency)
{
    public static FloorSettings Parse(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Count != 5)
        {
            throw new ArgumentException("usage: Bridge.Benchmarks floor AMQP-URL QUEUE UPSTREAM-URL PREFETCH CONCURRENCY");
        }

        return new FloorSettings(
            new Uri(arguments[0]), arguments[1], arguments[2].TrimEnd('/'),
            ushort.Parse(arguments[3], CultureInfo.InvariantCulture), ushort.Parse(arguments[4], CultureInfo.InvariantCulture));
    }

    public IEnumerable<string> ToArguments() =>
        [Amqp.ToString(), Queue, Upstream, Prefetch.ToString(CultureInfo.InvariantCulture), Concurrency.ToString(CultureInfo.InvariantCulture)];
}
