using Bridge.Contracts;
using Bridge.Sandbox.Emulators;
using Bridge.Worker.Correlation;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Correlation;

/// <summary>
/// Following runs to their end: a stack with short reconnect delays, and the poll and repair sweeps slow unless a test
/// asks for them (so a test proves the path it means to); and waits on a run's status.
/// </summary>
internal static class OutcomeWaits
{
    public static readonly TimeSpan Deadline = BridgeStack.Deadline;

    /// <summary>Short reconnect delays; poll and repair once at start, then hourly.</summary>
    public static BridgeStack.Builder FollowingOutcomes(this BridgeStack.Builder builder) =>
        builder.With<CorrelationOptions>(o =>
        {
            (o.ReconnectMinDelay, o.ReconnectMaxDelay) = (TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500));
            (o.PollInterval, o.RepairInterval) = (TimeSpan.FromHours(1), TimeSpan.FromHours(1));
        });

    /// <summary>A poll every 200 ms, looking 1 s behind the watermark.</summary>
    public static void FastPoll(CorrelationOptions o) => (o.PollInterval, o.PollOverlap) = (TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));

    /// <summary>The one flow run the worker started for <paramref name="message"/> (and route, when several match).</summary>
    public static FlowRunRecord RunOf(this BridgeStack stack, PipelineEvent message, string? route = null) =>
        stack.Prefect.FlowRuns.Single(r => r.Labels["bridge.event-id"]!.GetValue<string>() == message.EventId.ToString()
            && (route is null || r.Labels["bridge.route"]!.GetValue<string>() == route));

    public static CommitStatusRecord? StatusOf(this BridgeStack stack, FlowRunRecord run) =>
        stack.Bitbucket.Statuses.SingleOrDefault(s => s.Commit == Label(run, "bridge.commit") && s.Key == Label(run, "bridge.status-key"));

    /// <summary>Accepted posts on the run's commit and key, oldest first, as (state, description).</summary>
    public static IReadOnlyList<(string State, string Description)> PostsOf(this BridgeStack stack, FlowRunRecord run) =>
        [.. stack.Bitbucket.PostCalls
            .Where(c => c.StatusCode == 201 && c.Commit == Label(run, "bridge.commit") && c.Body?["key"]?.GetValue<string>() == Label(run, "bridge.status-key"))
            .Select(c => (c.Body!["state"]!.GetValue<string>(), c.Body["description"]?.GetValue<string>() ?? string.Empty))];

    /// <summary>
    /// Until the run's status on its commit is <paramref name="state"/> and the post that set it is recorded (a post
    /// is recorded as its answer starts, just after the status is stored).
    /// </summary>
    public static Task WaitForStatusAsync(this BridgeStack stack, FlowRunRecord run, string state) =>
        stack.Bitbucket.WaitForAsync(
            () => stack.StatusOf(run)?.State == state && stack.PostsOf(run).LastOrDefault().State == state, Deadline);

    public static Task WaitForInProgressAsync(this BridgeStack stack, PipelineEvent message, int runs = 1) =>
        stack.Bitbucket.WaitForAsync(
            () => stack.Bitbucket.Statuses.Count(s => s.Commit == message.Commit && s.State == "INPROGRESS") >= runs
                && stack.Bitbucket.PostCalls.Count(c => c.StatusCode == 201 && c.Commit == message.Commit) >= runs,
            Deadline);

    /// <summary>Until the worker's first poll and first repair sweep (both run at start) are done.</summary>
    public static Task WaitForStartupSweepsAsync(this WebApplication worker) =>
        Support.Eventually.WaitAsync(
            () => Task.FromResult(worker.Services.GetRequiredService<FinishedRunPoller>().Polls >= 1
                && worker.Services.GetRequiredService<RunRepair>().Sweeps >= 1),
            Deadline,
            "the worker's first poll and repair sweep are done");

    public static string Label(FlowRunRecord run, string name) => run.Labels[name]?.GetValue<string>() ?? string.Empty;
}
