using System.Diagnostics;
using System.Globalization;

namespace Bridge.Benchmarks.Processes;

/// <summary>A process's CPU time (utime + stime of <c>/proc/&lt;pid&gt;/stat</c>) and memory (<c>/proc/&lt;pid&gt;/status</c>).</summary>
internal static class ProcStats
{
    static readonly Lazy<double> TicksPerSecond = new(ReadClockTicks);

    /// <summary>CPU time used so far, user and system, in milliseconds (0 for a process that is gone).</summary>
    public static double CpuMilliseconds(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * 1000.0 / TicksPerSecond.Value;
    }

    public static double CpuMilliseconds(IEnumerable<int> pids) => pids.Sum(CpuMilliseconds);

    /// <summary>Resident memory now (<c>VmRSS</c>), in MB.</summary>
    public static double ResidentMegabytes(int pid) => StatusKilobytes(pid, "VmRSS:") / 1024.0;

    /// <summary>Peak resident memory so far (<c>VmHWM</c>), in MB.</summary>
    public static double PeakResidentMegabytes(int pid) => StatusKilobytes(pid, "VmHWM:") / 1024.0;

    static long StatusKilobytes(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    static double ReadClockTicks()
    {
        var start = new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false };
        using var getconf = Process.Start(start) ?? throw new InvalidOperationException("cannot run getconf CLK_TCK");
        var text = getconf.StandardOutput.ReadToEnd();
        getconf.WaitForExit();
        return double.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }
}
