using System.Collections.Concurrent;

namespace Bridge.Sandbox.Emulators;

/// <summary>Counts requests per endpoint name (every request that reached an endpoint, whatever it was answered).</summary>
internal sealed class CallCounter
{
    private readonly ConcurrentDictionary<string, int> counts = new(StringComparer.Ordinal);

    public void Increment(string endpointName) => counts.AddOrUpdate(endpointName, 1, (_, n) => n + 1);

    public int Get(string endpointName) => counts.TryGetValue(endpointName, out var n) ? n : 0;

    public IReadOnlyDictionary<string, int> Snapshot() => new Dictionary<string, int>(counts, StringComparer.Ordinal);
}
