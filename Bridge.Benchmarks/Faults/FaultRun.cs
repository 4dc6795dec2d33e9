using System.Diagnostics;
using System.Globalization;
using Bridge.Benchmarks.Faults.Scenarios;
using Bridge.Benchmarks.Processes;
using Bridge.Tests.Infrastructure;

namespace Bridge.Benchmarks.Faults;

/// <summary>
/// The fault run: one private RabbitMQ node, then each scenario on fresh emulators and a queue of its own, the most
/// telling first (kills, storms, bad messages, lost responses, SIGTERM, the broker restart, the correlation load). A
/// scenario that fails prints its failure in its rows; the others still run.
/// </summary>
internal static class FaultRun
{
    public static Task<FaultReport> RunAsync(FaultOptions options, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        return LogFolder.UseAsync(options.Logs, "bridge-faults", logs => RunAsync(options, progress, logs));
    }

    static async Task<FaultReport> RunAsync(FaultOptions options, TextWriter progress, string logs)
    {
        var machine = LogFolder.Machine();
        var clock = Stopwatch.StartNew();
        await using var broker = await RabbitMqBroker.StartAsync();
        var context = new FaultContext(options, broker, new FaultWorkspace(), logs, progress);
        await progress.WriteLineAsync($"faults: broker {broker.NodeName}, logs in {logs}");

        var scenarios = new List<ScenarioResult>();
        async Task Run(string name, Func<Task<ScenarioResult>> scenario)
        {
            if (!options.Only.Contains(name))
            {
                return;
            }

            await progress.WriteLineAsync($"faults: {name} ({clock.Elapsed.TotalSeconds:0} s in)");
            var result = await scenario();
            scenarios.Add(result);
            foreach (var (figure, value) in result.Rows)
            {
                await progress.WriteLineAsync($"  {figure}: {value}");
            }
        }

        await Run("kill", () => new KillScenario(context).RunAsync());
        await Run("storm", () => new StormScenario(context).RunAsync());
        await Run("bad", () => new BadMessageScenario(context).RunAsync());
        await Run("lost", () => new LostResponseScenario(context).RunAsync());
        await Run("sigterm", () => new SigtermScenario(context).RunAsync());
        await Run("broker", () => new BrokerRestartScenario(context).RunAsync());
        CorrelationLoad? load = null;
        if (options.Only.Contains("load"))
        {
            await progress.WriteLineAsync($"faults: load ({clock.Elapsed.TotalSeconds:0} s in)");
            load = await new CorrelationLoadScenario(context).RunAsync();
            await progress.WriteAsync(load.Render());
        }

        var title = string.Create(CultureInfo.InvariantCulture,
            $"Bridge fault run{(options.Small ? " (--small)" : "")}: real `bridge run` replicas on a private RabbitMQ node, emulated Prefect, Bitbucket and STS; {machine}; {clock.Elapsed.TotalMinutes:0.0} min");
        return new FaultReport(scenarios, load, FaultTable.Render(title, scenarios, load));
    }
}

/// <summary>The scenarios' results, the correlation load and the table as printed.</summary>
internal sealed record FaultReport(IReadOnlyList<ScenarioResult> Scenarios, CorrelationLoad? Load, string Table);
