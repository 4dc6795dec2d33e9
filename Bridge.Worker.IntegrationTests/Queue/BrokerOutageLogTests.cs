using System.Text.RegularExpressions;
using Bridge.Tests.Support;
using Bridge.Worker.Cli;

namespace Bridge.Tests.Queue;

/// <summary>
/// <c>bridge run</c> against a closed port: each connection attempt is one log line saying where (without the password)
/// and when the next attempt is; no stack trace and no Fatal at the default level; exit 3.
/// </summary>
public sealed partial class BrokerOutageLogTests
{
    [Fact]
    public async Task A_broker_outage_at_start_up_logs_one_line_per_attempt_without_stack_traces_or_Fatal()
    {
        using var settings = new WorkerProcessSettings();

        var exit = await BridgeProcess.RunAsync(
            settings.Run(new Uri("amqp://guest:outage-password@127.0.0.1:1/"), $"outage-{Guid.NewGuid():N}", "--Bridge:Broker:StartTimeout=00:00:06"));

        Assert.True(exit.ExitCode == RunCommand.BrokerUnreachable, exit.ToString());
        var lines = exit.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        Assert.All(lines, line => Assert.StartsWith("[", line, StringComparison.Ordinal)); // every line a log line: no stack trace
        Assert.DoesNotContain(lines, line => line.Contains(" FTL]", StringComparison.Ordinal));
        var attempts = lines
            .Select(line => Attempt().Match(line))
            .Where(match => match.Success)
            .Select(match => int.Parse(match.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.True(attempts.Count >= 3, exit.ToString());
        Assert.Equal(Enumerable.Range(1, attempts.Count), attempts); // one line per attempt, in order
        Assert.Contains(lines, line => line.Contains("next attempt in 00:00:01", StringComparison.Ordinal));
        Assert.DoesNotContain("outage-password", exit.Stdout + exit.Stderr, StringComparison.Ordinal);
        Assert.Contains("bridge: cannot reach RabbitMQ", exit.Stderr, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"RabbitMQ at amqp://127\.0\.0\.1:1/ cannot be reached \(attempt (?<n>\d+): ")]
    private static partial Regex Attempt();
}
