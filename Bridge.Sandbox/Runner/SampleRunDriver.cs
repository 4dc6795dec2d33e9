using System.Collections.Concurrent;
using Bridge.Sandbox.Emulators;

namespace Bridge.Sandbox.Runner;

/// <summary>
/// Plays Prefect's workers for the sandbox: once a sample run is marked INPROGRESS on its commit, it starts it and
/// ends it, the way its sample calls for: the docs route fails, the release candidate is cancelled, the rest succeed.
/// </summary>
internal sealed class SampleRunDriver : IDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan RunTime = TimeSpan.FromMilliseconds(1200);
    private readonly SandboxStack _stack;
    private readonly Action<FlowRunRecord, string> _say;
    private readonly ConcurrentDictionary<Guid, Task> _driven = new();

    public SampleRunDriver(SandboxStack stack, Action<FlowRunRecord, string> say)
    {
        (_stack, _say) = (stack, say);
        stack.Bitbucket.StatusPosted += OnStatus;
    }

    public void Dispose() => _stack.Bitbucket.StatusPosted -= OnStatus;

    /// <summary>The state a sample run ends in: (type, name, message).</summary>
    public static (string Type, string Name, string? Message) EndOf(FlowRunRecord run) =>
        (run.Labels["bridge.route"]?.GetValue<string>(), run.Labels["bridge.ref"]?.GetValue<string>()) switch
        {
            ("docs", _) => (StateTypes.Failed, "Failed", "mkdocs build failed: 2 broken links in docs/index.md"),
            (_, "v1.5.0-rc.1") => (StateTypes.Cancelled, "Cancelled", "Cancelled from the Prefect UI"),
            _ => (StateTypes.Completed, "Completed", null),
        };

    private void OnStatus(CommitStatusRecord status)
    {
        if (status.State != "INPROGRESS")
        {
            return;
        }

        var run = _stack.Prefect.FlowRuns.FirstOrDefault(r =>
            r.Labels["bridge.commit"]?.GetValue<string>() == status.Commit && r.Labels["bridge.status-key"]?.GetValue<string>() == status.Key
            && !StateTypes.IsTerminal(r.StateType));
        if (run is not null)
        {
            _driven.GetOrAdd(run.Id, _ => Task.Run(() => DriveAsync(run)));
        }
    }

    private async Task DriveAsync(FlowRunRecord run)
    {
        await Task.Delay(Step);
        _say(run, $"Prefect: flow run {run.Name} → {_stack.Prefect.SetState(run.Id, StateTypes.Running).StateName}");
        await Task.Delay(RunTime);
        var (type, name, message) = EndOf(run);
        var ended = _stack.Prefect.SetState(run.Id, type, name, message);
        _say(run, $"Prefect: flow run {run.Name} → {ended.StateName}{(message is null ? string.Empty : $" ({message})")}");
    }
}
