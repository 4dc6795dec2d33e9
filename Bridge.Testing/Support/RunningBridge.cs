using System.Collections.Concurrent;
using System.Diagnostics;

namespace Bridge.Tests.Support;

/// <summary>A <c>bridge</c> process started by <see cref="BridgeProcess.Start"/>: its output so far, and a hard kill.</summary>
internal sealed class RunningBridge : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    internal RunningBridge(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
    }

    public bool HasExited => process.HasExited;

    /// <summary>Its stdout and stderr so far, interleaved.</summary>
    public string Output => string.Join('\n', output);

    /// <summary>SIGKILL, as the kernel's OOM killer or a crash would end it: nothing is acknowledged or closed.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }
}
