using System.Globalization;
using Bridge.Sandbox.Emulators;

namespace Bridge.Benchmarks.Faults.Scenarios;

/// <summary>
/// Three replicas; one create_flow_run request in four is served (the run exists) and its connection then cut before
/// the answer, until a quarter of the events' worth were: a flaky proxy, not an outage (Prefect cutting every answer in
/// a row opens the client's circuit breaker and is an outage: its events go to <c>_error</c> as
/// <c>prefect-unavailable</c>, a test shows it). Bridge's idempotency key should make every retry find the run it created.
/// </summary>
internal sealed class LostResponseScenario(FaultContext context)
{
    public async Task<ScenarioResult> RunAsync()
    {
        var options = context.Options;
        var dropped = Math.Max(1, options.StormEvents / 4);
        var result = new ScenarioResult(string.Create(CultureInfo.InvariantCulture,
            $"lost responses: one create_flow_run answer in four cut after the run was created, {dropped:N0} in all, {options.StormEvents:N0} events"));
        await using var stack = await FaultStack.StartAsync(context, "lost");
        try
        {
            await stack.StartReplicasAsync(3);
            stack.Prefect.DropResponseOfEvery(PrefectEndpoints.CreateFlowRun, 4, dropped);
            var events = stack.Issue(options.StormEvents);
            await context.Progress.WriteLineAsync($"lost: publishing {events.Count} events at {options.Rate / 2:0}/s");
            await EventPublisher.PublishPacedAsync(stack.Broker, stack.Queue, events, options.Rate / 2);
            var outcome = await stack.SettleAsync(events);
            result.AddOutcome(outcome);
            result.Add("create_flow_run calls (dropped ones included)", stack.Prefect.CallCount(PrefectEndpoints.CreateFlowRun));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            result.Fail(e);
        }

        return result;
    }
}
