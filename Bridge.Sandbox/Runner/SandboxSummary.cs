using Bridge.Sandbox.Emulators;

namespace Bridge.Sandbox.Runner;

/// <summary>The table printed at the end: per sample event, its flow runs and the statuses on its commit.</summary>
internal static class SandboxSummary
{
    public static async Task WriteAsync(TextWriter output, SandboxStack stack, IReadOnlyList<SampleOutcome> outcomes, AcknowledgedEvents acknowledged)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync("Summary");
        foreach (var outcome in outcomes)
        {
            var mark = outcome.IsDone(stack.Prefect, stack.Bitbucket, acknowledged) ? "ok  " : "MISSING";
            await output.WriteLineAsync($"  {mark} {outcome.Sample.Label} ({outcome.Sample.Trigger.Kind.ToString().ToLowerInvariant()} of acme/api, commit {outcome.Sample.Trigger.Commit[..12]})");
            foreach (var line in Describe(outcome, stack))
            {
                await output.WriteLineAsync($"         {line}");
            }
        }

        var done = outcomes.Count(o => o.IsDone(stack.Prefect, stack.Bitbucket, acknowledged));
        await output.WriteLineAsync();
        await output.WriteLineAsync($"{done} of {outcomes.Count} sample events reached their outcome; "
            + $"{stack.Prefect.FlowRuns.Count} flow runs, {stack.Bitbucket.Statuses.Count} commit statuses, "
            + $"{stack.Prefect.CreateFlowRunCalls.Count} create_flow_run calls.");
    }

    private static IEnumerable<string> Describe(SampleOutcome outcome, SandboxStack stack)
    {
        if (outcome.Routes.Count == 0)
        {
            yield return "no route matches: acknowledged and logged, no flow run";
            yield break;
        }

        if (outcome.Sample.IsRedelivery)
        {
            yield return $"Prefect answered 200 with the existing run {outcome.ExistingRunAnswers(stack.Prefect)} time(s): no duplicate flow run";
        }

        var statuses = outcome.Statuses(stack.Bitbucket);
        foreach (var run in outcome.Runs(stack.Prefect))
        {
            var route = run.Labels["bridge.route"]?.GetValue<string>();
            var status = statuses.FirstOrDefault(s => s.Key == run.Labels["bridge.status-key"]?.GetValue<string>());
            yield return $"route {route}: flow run {run.Name} {run.StateName} · final status {status?.State ?? "none"} \"{status?.Name}\": {status?.Description} · {stack.Prefect.FlowRunUiUrl(run.Id)}";
        }
    }
}
