using System.Collections.Concurrent;
using Bridge.Sandbox.Emulators;

namespace Bridge.Benchmarks.Faults;

/// <summary>
/// Plays Prefect's workers: each flow run created goes to RUNNING after <see cref="Pickup"/> and ends after
/// <see cref="RunTime"/> more, FAILED when its commit starts with 0, 1 or 2 (about one in five), else COMPLETED.
/// The delays are the simulated work, not waits for a condition.
/// </summary>
internal sealed class RunDriver : IDisposable
{
    static readonly TimeSpan Pickup = TimeSpan.FromMilliseconds(200);
    static readonly TimeSpan RunTime = TimeSpan.FromMilliseconds(800);

    readonly PrefectEmulator prefect;
    readonly ConcurrentDictionary<Guid, Task> driven = new();
    readonly CancellationTokenSource stop = new();

    public RunDriver(PrefectEmulator prefect)
    {
        this.prefect = prefect;
        prefect.FlowRunCreated += OnCreated;
    }

    /// <summary>The state a run ends in: FAILED for commits that start with 0–2, else COMPLETED.</summary>
    public static string EndOf(string commit) => commit[0] is '0' or '1' or '2' ? StateTypes.Failed : StateTypes.Completed;

    public void Dispose()
    {
        prefect.FlowRunCreated -= OnCreated;
        stop.Cancel();
        stop.Dispose();
    }

    void OnCreated(FlowRunRecord run) => driven.GetOrAdd(run.Id, _ => Task.Run(() => DriveAsync(run)));

    async Task DriveAsync(FlowRunRecord run)
    {
        try
        {
            await Task.Delay(Pickup, stop.Token);
            prefect.SetState(run.Id, StateTypes.Running);
            await Task.Delay(RunTime, stop.Token);
            var commit = run.Labels["bridge.commit"]?.GetValue<string>() ?? "f";
            prefect.SetState(run.Id, EndOf(commit));
        }
        catch (OperationCanceledException)
        {
            // The scenario is over.
        }
    }
}
