using System.Diagnostics;

namespace Bridge.Benchmarks.Processes;

/// <summary>
/// A program the harness runs (the worker, the floor): its output goes to a log file (as a container's would go to a
/// collector, without the harness reading it line by line), its environment has no <c>Bridge__*</c> variables of ours,
/// and disposing it kills it.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    readonly Process process;

    ChildProcess(Process process, string logFile, long started)
    {
        this.process = process;
        LogFile = logFile;
        Started = started;
    }

    public int Pid => process.Id;

    public string LogFile { get; }

    /// <summary>Stopwatch timestamp just before the process was started.</summary>
    public long Started { get; }

    public bool HasExited => process.HasExited;

    /// <summary>Where the worker's HTTP port listens (health and <c>/metrics</c>), when the harness chose it.</summary>
    public Uri? HttpAddress { get; set; }

    public static ChildProcess Start(string logFile, IReadOnlyDictionary<string, string> environment, string program, params IEnumerable<string> arguments)
    {
        // exec keeps the pid: the one measured is the program's own.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$BENCH_LOG\" 2>&1");
        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Bridge__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["BENCH_LOG"] = logFile;
        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        return new ChildProcess(process, logFile, started);
    }

    /// <summary>The last lines of its log, for an error message.</summary>
    public string LogTail(int lines = 30)
    {
        try
        {
            return string.Join('\n', File.ReadLines(LogFile).TakeLast(lines));
        }
        catch (IOException e)
        {
            return $"(cannot read {LogFile}: {e.Message})";
        }
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }
}
