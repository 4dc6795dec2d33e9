using System.Diagnostics;

namespace Bridge.Benchmarks.Faults;

/// <summary>
/// One <c>bridge run</c> process of the fault run: its output goes to a log file, read line by line for the correlator
/// lease's "This replica correlates now" / "no longer correlates" (with the moment the harness saw them) and for the
/// final statuses it found already on their commit after a takeover ("… not posted again"), its
/// <c>/health/ready</c> on a port of its own; it can be killed (SIGKILL) or asked to stop (SIGTERM).
/// </summary>
internal sealed class Replica : IAsyncDisposable
{
    const string Gained = "This replica correlates now";
    const string Lost = "This replica no longer correlates";
    const string AlreadyOnCommit = "posted before this replica correlated; not posted again";

    readonly Process process;
    readonly StreamWriter log;
    readonly Lock gate = new();
    readonly List<(DateTimeOffset At, bool Held)> lease = [];
    readonly HttpClient http;
    int foundOnCommit;

    Replica(string name, Process process, StreamWriter log, int httpPort)
    {
        Name = name;
        this.process = process;
        this.log = log;
        HttpPort = httpPort;
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(5) };
    }

    public string Name { get; }

    public int HttpPort { get; }

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    public int? ExitCode => process.HasExited ? process.ExitCode : null;

    /// <summary>Final statuses it did not post because the commit already showed them (its "not posted again" lines).</summary>
    public int FoundOnCommit => Volatile.Read(ref foundOnCommit);

    /// <summary>Whether its last lease line says it correlates (and it still runs).</summary>
    public bool HoldsLease
    {
        get
        {
            lock (gate)
            {
                return !process.HasExited && lease.Count > 0 && lease[^1].Held;
            }
        }
    }

    /// <summary>When it last said it correlates now, at or after <paramref name="since"/>; null if it did not.</summary>
    public DateTimeOffset? GainedSince(DateTimeOffset since)
    {
        lock (gate)
        {
            return lease.Where(l => l.Held && l.At >= since).Select(l => (DateTimeOffset?)l.At).FirstOrDefault();
        }
    }

    public static Replica Start(string name, string worker, string logFile, int httpPort, IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(worker);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add($"--urls=http://127.0.0.1:{httpPort}");
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Bridge__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {worker}");
        var replica = new Replica(name, process, log, httpPort);
        process.OutputDataReceived += (_, e) => replica.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => replica.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return replica;
    }

    /// <summary>SIGKILL, as the OOM killer or a node failure would end it: nothing acknowledged or closed.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a container stop would send; the time until it exited, or null if it outlived <paramref name="limit"/>.</summary>
    public async Task<TimeSpan?> TerminateAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return clock.Elapsed;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Whether <c>/health/ready</c> answers 200 now.</summary>
    public async Task<bool> IsReadyAsync()
    {
        try
        {
            using var response = await http.GetAsync("health/ready");
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
        http.Dispose();
        lock (gate)
        {
            log.Dispose();
        }
    }

    void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        lock (gate)
        {
            if (line.Contains(Gained, StringComparison.Ordinal))
            {
                lease.Add((now, true));
            }
            else if (line.Contains(Lost, StringComparison.Ordinal))
            {
                lease.Add((now, false));
            }
            else if (line.Contains(AlreadyOnCommit, StringComparison.Ordinal))
            {
                foundOnCommit++;
            }

            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The last lines of a disposed replica.
            }
        }
    }
}
