using Bridge.Sandbox.Emulators;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Correlation;
using Bridge.Worker.Dispatch;
using Bridge.Worker.Routing;

namespace Bridge.Sandbox.Runner;

/// <summary>
/// What a sample event should lead to (one flow run per matching route, each ending as the sandbox drives it and
/// reported with its final status on the commit), and whether it has.
/// </summary>
internal sealed class SampleOutcome(SampleEvent sample, IReadOnlyList<RouteDefinition> routes)
{
    public SampleEvent Sample { get; } = sample;

    public IReadOnlyList<RouteDefinition> Routes { get; } = routes;

    public Guid EventId { get; } = sample.Trigger.Id;

    public IReadOnlyList<string> StatusKeys { get; } = [.. routes.Select(r => r.StatusKey)];

    public IReadOnlyList<FlowRunRecord> Runs(PrefectEmulator prefect) =>
        [.. prefect.FlowRuns.Where(r => r.Labels["bridge.event-id"]?.GetValue<string>() == EventId.ToString())];

    public IReadOnlyList<CommitStatusRecord> Statuses(BitbucketEmulator bitbucket) =>
        [.. bitbucket.Statuses.Where(s => s.Commit == Sample.Trigger.Commit && StatusKeys.Contains(s.Key))];

    /// <summary>Prefect answers with the existing run (200) when an event comes again.</summary>
    public int ExistingRunAnswers(PrefectEmulator prefect)
    {
        var keys = Routes.Select(r => IdempotencyKeys.For(Sample.Trigger, r)).ToHashSet();
        return prefect.CreateFlowRunCalls.Count(c => c.StatusCode == 200 && keys.Contains(c.Body?["idempotency_key"]?.GetValue<string>() ?? string.Empty));
    }

    public bool IsDone(PrefectEmulator prefect, BitbucketEmulator bitbucket, AcknowledgedEvents acknowledged)
    {
        if (Routes.Count == 0)
        {
            return acknowledged.Contains(EventId);
        }

        if (Sample.IsRedelivery)
        {
            return ExistingRunAnswers(prefect) >= Routes.Count;
        }

        var runs = Runs(prefect);
        var statuses = Statuses(bitbucket);
        return runs.Count == Routes.Count && runs.All(run => StatusText.FinalState(SampleRunDriver.EndOf(run).Type) is { } expected
            && StateTypes.IsTerminal(run.StateType)
            && statuses.Any(s => s.Key == run.Labels["bridge.status-key"]?.GetValue<string>() && s.State == expected));
    }
}
