using System.Globalization;

namespace Bridge.Benchmarks;

/// <summary>What the benchmark's and the fault run's options share: counts, and the published worker they run.</summary>
internal static class HarnessArguments
{
    /// <summary>A positive whole number, or null.</summary>
    public static int? Positive(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    /// <summary>Why <paramref name="worker"/> cannot be run, or null when it names a file.</summary>
    public static string? WorkerProblem(string worker) =>
        File.Exists(worker) ? null : $"--worker must name the published bridge.dll (got '{worker}')";
}
