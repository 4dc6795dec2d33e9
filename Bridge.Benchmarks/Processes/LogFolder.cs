namespace Bridge.Benchmarks.Processes;

/// <summary>The folder the child processes log into: the one asked for (kept), or a temporary one removed at the end.</summary>
internal static class LogFolder
{
    public static async Task<T> UseAsync<T>(string? kept, string prefix, Func<string, Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var logs = kept ?? Path.Combine(Path.GetTempPath(), $"{prefix}-{Environment.ProcessId}");
        Directory.CreateDirectory(logs);
        try
        {
            return await run(logs);
        }
        finally
        {
            if (kept is null)
            {
                Directory.Delete(logs, recursive: true);
            }
        }
    }

    /// <summary>Cores, processor, and the load average when the run began (other work on the machine shows there).</summary>
    public static string Machine()
    {
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        var load = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        return $"{Environment.ProcessorCount} cores ({model ?? "unknown processor"}), load average {load} at start";
    }
}
