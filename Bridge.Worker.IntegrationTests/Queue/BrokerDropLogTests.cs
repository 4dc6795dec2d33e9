using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;

namespace Bridge.Tests.Queue;

/// <summary>
/// A running worker process whose broker goes away and comes back (a private node: stopping the shared one would cut
/// every other test off): the outage is one warning, each reconnect attempt MassTransit makes is logged without a stack
/// trace (its reason in one property), the recovery is one Information line.
/// </summary>
public sealed class BrokerDropLogTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly WorkerProcessSettings settings = new();
    private RabbitMqBroker? broker;

    private RabbitMqBroker Broker => broker ?? throw new InvalidOperationException("The broker has not been started.");

    public async Task InitializeAsync() => broker = await RabbitMqBroker.StartAsync();

    [Fact]
    public async Task A_broker_outage_after_start_up_logs_each_reconnect_attempt_in_one_line_and_the_outage_and_recovery_once()
    {
        var queue = $"bridge-test-drop-{Guid.NewGuid():N}";
        await using var bridge = BridgeProcess.Start(settings.Run(Broker.AmqpUri, queue));
        await Eventually.WaitAsync(async () => await Broker.ConsumerCountAsync(queue) == 1 || Exited(bridge), Deadline, "the worker consumes");

        await Broker.StopAsync();
        await Eventually.WaitAsync(() => Task.FromResult(Says(bridge, "Retrying ")), Deadline, "MassTransit retries the connection");
        await Broker.StartAgainAsync();
        await Eventually.WaitAsync(() => Task.FromResult(Says(bridge, Recovered)), Deadline, "the recovery is logged");
        await bridge.KillAsync();

        var output = bridge.Output;
        var entries = Entries(output);
        Assert.Single(entries, e => e.Contains(Lost, StringComparison.Ordinal));
        Assert.Single(entries, e => e.Contains(Recovered, StringComparison.Ordinal));
        var attempts = entries.Where(e => e.Contains("Connection Failed: rabbitmq://", StringComparison.Ordinal)).ToList();
        Assert.True(attempts.Count >= 1, output);
        Assert.All(attempts, e => Assert.Contains("\"Reason\": \"Connection refused\"", e, StringComparison.Ordinal));

        // No stack trace: not MassTransit's, not the host's, not the correlator lease's.
        var traced = entries.Where(e => e.Contains("\n   at ", StringComparison.Ordinal)).ToList();
        Assert.True(traced.Count == 0, $"log entries with a stack trace:\n{string.Join("\n", traced)}");
    }

    private const string Lost = "The connection to RabbitMQ was lost (";

    private const string Recovered = "The connection to RabbitMQ is back after ";

    /// <summary>The output's log entries: a line starting with <c>[</c> and the lines after it up to the next one.</summary>
    private static List<string> Entries(string output)
    {
        var entries = new List<string>();
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith('[') || entries.Count == 0)
            {
                entries.Add(line);
            }
            else
            {
                entries[^1] += "\n" + line;
            }
        }

        return entries;
    }

    private static bool Says(RunningBridge bridge, string text) => bridge.Output.Contains(text, StringComparison.Ordinal) || Exited(bridge);

    public async Task DisposeAsync()
    {
        settings.Dispose();
        if (broker is not null)
        {
            await broker.DisposeAsync();
        }
    }

    private static bool Exited(RunningBridge bridge) =>
        bridge.HasExited ? throw new Xunit.Sdk.XunitException($"The worker exited:\n{bridge.Output}") : false;
}
