using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Cli;

namespace Bridge.Tests.Redrive;

/// <summary>
/// <c>bridge redrive</c> as an operator runs it (the built binary): its help, its usage errors, its options reaching the
/// broker, and no secret in anything it prints.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class RedriveCommandLineTests(RabbitMqBrokerFixture fixture) : IAsyncLifetime
{
    private readonly string queue = $"bridge-test-redrive-cli-{Guid.NewGuid():N}";

    private RabbitMqBroker Broker => fixture.Broker;

    public Task InitializeAsync() => RedriveVerb.DeclareQueuesAsync(Broker, queue);

    [Fact]
    public async Task Help_names_every_option_and_why_a_duplicate_is_harmless()
    {
        var help = await BridgeProcess.RunAsync("redrive", "--help");

        Assert.True(help.ExitCode == 0, help.ToString());
        foreach (var option in new[] { "--queue", "--reason", "--older-than", "--newer-than", "--limit", "--dry-run" })
        {
            Assert.Contains(option, help.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("confirmed by RabbitMQ before it is taken off _error", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("the flow run's idempotency key returns the first", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("expired-in-queue", help.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--older-than", "30", "--older-than: '30' is not a duration")]
    [InlineData("--limit", "0", "--limit must be at least 1")]
    [InlineData("--newer-than", "0s", "--newer-than must be longer than 0s")]
    public async Task A_bad_option_is_a_usage_error_naming_it(string option, string value, string message)
    {
        var exit = await BridgeProcess.RunAsync("redrive", option, value, $"--Bridge:Broker:Url={Broker.AmqpUri}");

        Assert.True(exit.ExitCode == BridgeCli.UsageError, exit.ToString());
        Assert.Contains(message, exit.Stderr, StringComparison.Ordinal);
        Assert.Contains("Run 'bridge redrive --help' for usage.", exit.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broker_url_that_is_not_amqp_is_a_configuration_error_naming_the_setting()
    {
        var exit = await BridgeProcess.RunAsync("redrive", "--Bridge:Broker:Url=http://rabbitmq.example.com/");

        Assert.True(exit.ExitCode == RunCommand.ConfigurationError, exit.ToString());
        Assert.Contains("Bridge:Broker:Url must be an AMQP URL", exit.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_queue_filters_and_limit_given_on_the_command_line_select_what_is_listed()
    {
        var events = new[] { Support.SampleEvents.Tag("v1.0.0"), Support.SampleEvents.Tag("v1.0.1"), Support.SampleEvents.Tag("v1.0.2") };
        await RedriveVerb.PutFaultAsync(Broker, queue, events[0], "prefect-unavailable", DateTimeOffset.UtcNow.AddMinutes(-2));
        await RedriveVerb.PutFaultAsync(Broker, queue, events[1], "unexpected", DateTimeOffset.UtcNow.AddMinutes(-2));
        await RedriveVerb.PutFaultAsync(Broker, queue, events[2], "prefect-unavailable", DateTimeOffset.UtcNow.AddMinutes(-2));

        var exit = await BridgeProcess.RunAsync(
            "redrive", "--queue", queue, "--reason", "PREFECT-unavailable", "--reason", "bitbucket-unavailable", "--older-than", "1m",
            "--newer-than", "1h", "--limit", "1", "--dry-run", $"--Bridge:Broker:Url={Broker.AmqpUri}");

        Assert.True(exit.ExitCode == 0, exit.ToString());
        var line = Assert.Single(exit.Stdout.Split('\n'), l => l.StartsWith("would move ", StringComparison.Ordinal));
        Assert.StartsWith($"would move event {events[0].EventId}  repository acme/api  reason prefect-unavailable  age 2m", line, StringComparison.Ordinal);
        Assert.Contains("Would move 1 of 3 dead letters read from", exit.Stdout, StringComparison.Ordinal);
        Assert.Contains("; 1 did not match, 1 more matched past --limit 1;", exit.Stdout, StringComparison.Ordinal);
        Assert.Equal(3u, await Broker.MessageCountAsync($"{queue}_error"));
    }

    [Fact]
    public async Task No_token_or_broker_password_appears_in_anything_it_prints()
    {
        var user = $"redrive-{Guid.NewGuid():N}";
        var password = $"pw-{Guid.NewGuid():N}";
        await Broker.Management.CreateUserAsync(user, password);
        var url = $"amqp://{user}:{password}@{Broker.Host}:{Broker.Port}/";
        var message = Support.SampleEvents.Tag("v9.0.0");
        await RedriveVerb.PutFaultAsync(Broker, queue, message, "prefect-unavailable", DateTimeOffset.UtcNow);

        var exits = new[]
        {
            await BridgeProcess.RunAsync("redrive", "--dry-run", "--queue", queue, $"--Bridge:Broker:Url={url}"),
            await BridgeProcess.RunAsync("redrive", "--queue", queue, $"--Bridge:Broker:Url={url}"),
            await BridgeProcess.RunAsync("redrive", "--queue", $"{queue}-missing", $"--Bridge:Broker:Url={url}"),
            await BridgeProcess.RunAsync("redrive", "--queue", queue, $"--Bridge:Broker:Url=amqp://{user}:{password}@127.0.0.1:1/"),
            await BridgeProcess.RunAsync("redrive", "--queue", queue, $"--Bridge:Broker:Url=amqp://{user}:wrong-{password}@{Broker.Host}:{Broker.Port}/"),
        };

        Assert.Equal([0, 0, RedriveCommand.QueueMissing, RunCommand.BrokerUnreachable, RunCommand.BrokerUnreachable], exits.Select(e => e.ExitCode));
        Assert.Contains($"moved event {message.EventId}", exits[1].Stdout, StringComparison.Ordinal);
        Assert.Contains($"amqp://{user}:***@", exits[2].Stderr + exits[3].Stderr, StringComparison.Ordinal);
        var printed = string.Join('\n', exits.Select(e => e.Stdout + e.Stderr));
        Assert.DoesNotContain(password, printed, StringComparison.Ordinal);
        foreach (var part in message.OidcToken.Split('.'))
        {
            Assert.DoesNotContain(part, printed, StringComparison.Ordinal);
        }
    }

    public async Task DisposeAsync()
    {
        await Broker.DeleteQueueAsync(queue);
        await Broker.DeleteQueueAsync($"{queue}_error");
    }
}
