using Bridge.Contracts;
using Bridge.Sandbox.Emulators;
using Bridge.Sandbox.Runner;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Infrastructure;
using Bridge.Worker.Correlation;
using Bridge.Worker.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Correlation;

/// <summary>
/// The worker on the test broker with the emulators, set up for following runs to their end: short reconnect delays,
/// and the poll and repair sweeps slow unless a test asks for them (so a test proves the path it means to).
/// </summary>
internal static class OutcomeStack
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static Task<SandboxStack> StartAsync(
        RabbitMqBroker broker, IReadOnlyDictionary<string, string?>? settings = null, string routes = WorkerOnBroker.Routes)
    {
        var all = new Dictionary<string, string?>
        {
            ["Bridge:Correlation:ReconnectMinDelay"] = "00:00:00.050",
            ["Bridge:Correlation:ReconnectMaxDelay"] = "00:00:00.500",
            ["Bridge:Correlation:PollInterval"] = "01:00:00",
            ["Bridge:Correlation:RepairInterval"] = "01:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return WorkerOnBroker.StartAsync(broker, routes: routes, settings: all);
    }

    /// <summary>
    /// Stops the stack's worker (as a killed container would stop consuming) and starts a new one with the same
    /// settings on the same emulators and queue. The caller disposes the new worker.
    /// </summary>
    public static async Task<WebApplication> RestartWorkerAsync(SandboxStack stack, IReadOnlyDictionary<string, string?>? changes = null)
    {
        var settings = stack.Worker.Services.GetRequiredService<IConfiguration>().AsEnumerable()
            .Where(s => s.Value is not null && (s.Key.StartsWith("Bridge:", StringComparison.Ordinal) || s.Key.StartsWith("Serilog:", StringComparison.Ordinal)))
            .ToDictionary(s => s.Key, s => s.Value);
        foreach (var (key, value) in changes ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        await stack.Worker.StopAsync(CancellationToken.None);
        var worker = BridgeWorkerHost.Build([], settings, builder => builder.WebHost.UseUrls("http://127.0.0.1:0"));
        await worker.StartAsync(CancellationToken.None);
        return worker;
    }

    /// <summary>The one flow run the worker started for <paramref name="message"/> (and route, when several match).</summary>
    public static FlowRunRecord RunOf(this SandboxStack stack, PipelineEvent message, string? route = null) =>
        stack.Prefect.FlowRuns.Single(r => r.Labels["bridge.event-id"]!.GetValue<string>() == message.EventId.ToString()
            && (route is null || r.Labels["bridge.route"]!.GetValue<string>() == route));

    public static CommitStatusRecord? StatusOf(this SandboxStack stack, FlowRunRecord run) =>
        stack.Bitbucket.Statuses.SingleOrDefault(s => s.Commit == Label(run, "bridge.commit") && s.Key == Label(run, "bridge.status-key"));

    /// <summary>Accepted posts on the run's commit and key, oldest first, as (state, description).</summary>
    public static IReadOnlyList<(string State, string Description)> PostsOf(this SandboxStack stack, FlowRunRecord run) =>
        [.. stack.Bitbucket.PostCalls
            .Where(c => c.StatusCode == 201 && c.Commit == Label(run, "bridge.commit") && c.Body?["key"]?.GetValue<string>() == Label(run, "bridge.status-key"))
            .Select(c => (c.Body!["state"]!.GetValue<string>(), c.Body["description"]?.GetValue<string>() ?? string.Empty))];

    /// <summary>
    /// Until the run's status on its commit is <paramref name="state"/> and the post that set it is recorded (a post
    /// is recorded as its answer starts, just after the status is stored).
    /// </summary>
    public static Task WaitForStatusAsync(this SandboxStack stack, FlowRunRecord run, string state) =>
        stack.Bitbucket.WaitForAsync(
            () => stack.StatusOf(run)?.State == state && stack.PostsOf(run).LastOrDefault().State == state, Deadline);

    public static Task WaitForInProgressAsync(this SandboxStack stack, PipelineEvent message, int runs = 1) =>
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
