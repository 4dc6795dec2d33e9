using System.Diagnostics;

namespace Bridge.Tests.Support;

/// <summary>
/// Runs the built worker (<c>bridge.dll</c>, copied into the test output) as a child process, without the
/// <c>Bridge__*</c> variables of the test's own environment, and kills it if it outlives <see cref="Deadline"/>.
/// </summary>
internal static class BridgeProcess
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static async Task<BridgeExit> RunAsync(params string[] arguments)
    {
        var start = StartInfo(arguments);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException(
                $"bridge {string.Join(' ', arguments)} was still running after {Deadline.TotalSeconds:0} s and was killed.\n"
                + $"stdout:\n{await stdout}\nstderr:\n{await stderr}");
        }

        return new BridgeExit(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Starts <c>bridge</c> and returns while it runs (<see cref="RunAsync"/> waits for it to end): for tests that kill it.
    /// </summary>
    public static RunningBridge Start(params string[] arguments)
    {
        var start = StartInfo(arguments);
        return new RunningBridge(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}"));
    }

    private static ProcessStartInfo StartInfo(string[] arguments)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bridge.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Bridge__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        // Not Development: no user secrets could fill in the settings a test leaves out.
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        return start;
    }
}

internal sealed record BridgeExit(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit code {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
