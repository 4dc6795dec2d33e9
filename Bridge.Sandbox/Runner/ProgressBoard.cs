using Bridge.Sandbox.Emulators;

namespace Bridge.Sandbox.Runner;

/// <summary>Prints each sample event's progress as the emulators see it, and wakes the runner when anything changes.</summary>
internal sealed class ProgressBoard : IDisposable
{
    private readonly SandboxStack _stack;
    private readonly IReadOnlyList<SampleOutcome> _outcomes;
    private readonly AcknowledgedEvents _acknowledged;
    private readonly TextWriter _output;
    private readonly SemaphoreSlim _changed = new(0);
    private readonly Lock _gate = new();
    private readonly SampleRunDriver _driver;

    public ProgressBoard(SandboxStack stack, IReadOnlyList<SampleOutcome> outcomes, AcknowledgedEvents acknowledged, TextWriter output)
    {
        (_stack, _outcomes, _acknowledged, _output) = (stack, outcomes, acknowledged, output);
        stack.Prefect.FlowRunCreated += OnFlowRun;
        stack.Bitbucket.StatusPosted += OnStatus;
        acknowledged.Acknowledged += OnAcknowledged;
        _driver = new SampleRunDriver(stack, (run, text) => Say(SampleOf(run), text));
    }

    /// <summary>Waits until every one of <paramref name="outcomes"/> is reached, or the deadline passed; true when all were.</summary>
    public async Task<bool> WaitAsync(IEnumerable<SampleOutcome> outcomes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waited = outcomes.ToList();
        bool AllDone() => waited.All(o => o.IsDone(_stack.Prefect, _stack.Bitbucket, _acknowledged));
        var started = TimeProvider.System.GetTimestamp();
        while (!AllDone())
        {
            var left = timeout - TimeProvider.System.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || !await _changed.WaitAsync(left, cancellationToken))
            {
                return AllDone();
            }
        }

        return true;
    }

    public void Dispose()
    {
        _driver.Dispose();
        _stack.Prefect.FlowRunCreated -= OnFlowRun;
        _stack.Bitbucket.StatusPosted -= OnStatus;
        _acknowledged.Acknowledged -= OnAcknowledged;
        _changed.Dispose();
    }

    private SampleOutcome? SampleOf(FlowRunRecord run) =>
        _outcomes.FirstOrDefault(o => !o.Sample.IsRedelivery && o.EventId.ToString() == run.Labels["bridge.event-id"]?.GetValue<string>());

    private void OnFlowRun(FlowRunRecord run)
    {
        var sample = SampleOf(run);
        Say(sample, $"route {run.Labels["bridge.route"]}: flow run {run.Name} ({run.Id}) {run.StateName} → {_stack.Prefect.FlowRunUiUrl(run.Id)}");
    }

    private void OnStatus(CommitStatusRecord status)
    {
        var sample = _outcomes.FirstOrDefault(o => !o.Sample.IsRedelivery && o.Sample.Trigger.Commit == status.Commit);
        Say(sample, $"status {status.State} \"{status.Name}\" \"{status.Description}\" posted on commit {status.Commit[..12]} (key {status.Key[..12]}…)");
    }

    private void OnAcknowledged(Guid eventId)
    {
        if (_outcomes.FirstOrDefault(o => o.EventId == eventId && o.Routes.Count == 0) is { } unrouted)
        {
            Say(unrouted, "matched no route: acknowledged, no flow run");
        }
    }

    private void Say(SampleOutcome? sample, string text)
    {
        lock (_gate)
        {
            _output.WriteLine($"  [{sample?.Sample.Label ?? "?"}] {text}");
        }

        _changed.Release();
    }
}
