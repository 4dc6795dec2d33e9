using System.Globalization;
using System.Text.RegularExpressions;

namespace Bridge.Benchmarks.Processes;

/// <summary>
/// The runtime's own counters of a worker, read from its <c>/metrics</c> (the <c>System.Runtime</c> meter Bridge exports
/// on Prometheus by default): two reads around a phase give what the phase cost, with nothing attached to the process.
/// </summary>
internal static partial class RuntimeCounters
{
    static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Bytes the worker's managed heap has allocated since it started (<c>dotnet.gc.heap.total_allocated</c>).</summary>
    public static async Task<long> TotalAllocatedBytesAsync(ChildProcess worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        var address = worker.HttpAddress ?? throw new InvalidOperationException("the worker's HTTP address was not chosen by the harness");
        var text = await Http.GetStringAsync(new Uri(address, "metrics"));
        var match = TotalAllocated().Match(text);
        return match.Success
            ? (long)double.Parse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"{address}metrics has no dotnet_gc_heap_total_allocated_bytes series");
    }

    [GeneratedRegex(@"^dotnet_gc_heap_total_allocated_bytes(?:_total)?(?:\{[^}]*\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex TotalAllocated();
}
