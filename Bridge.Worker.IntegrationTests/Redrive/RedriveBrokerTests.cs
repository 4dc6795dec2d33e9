using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Cli;
using Bridge.Worker.Redrive;

namespace Bridge.Tests.Redrive;

/// <summary>
/// <c>bridge redrive</c> on queues no worker consumes: the age filters, what a redriven message keeps of its headers,
/// a pass the broker stops half-way, and the errors for a broker or queue that is not there.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class RedriveBrokerTests(RabbitMqBrokerFixture fixture) : IAsyncLifetime
{
    private readonly string queue = $"bridge-test-redrive-{Guid.NewGuid():N}";

    private RabbitMqBroker Broker => fixture.Broker;

    private string ErrorQueue => $"{queue}_error";

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Age_filters_go_by_the_fault_timestamp_or_else_the_broker_s_death_time()
    {
        await RedriveVerb.DeclareQueuesAsync(Broker, queue);
        var now = DateTimeOffset.UtcNow;
        var old = SampleEvents.Tag("v1.0.0");
        var recent = SampleEvents.Tag("v1.0.1");
        var expired = SampleEvents.Tag("v1.0.2");
        await RedriveVerb.PutFaultAsync(Broker, queue, old, "prefect-unavailable", now.AddHours(-3));
        await RedriveVerb.PutFaultAsync(Broker, queue, recent, "prefect-unavailable", now.AddMinutes(-5));
        await RedriveVerb.PublishExpiringAsync(Broker, queue, expired);
        await WaitForAsync(ErrorQueue, 3);

        var older = await RedriveVerb.RunAsync(Broker, queue, new RedriveFilter([], TimeSpan.FromHours(1), null), dryRun: true);
        var newer = await RedriveVerb.RunAsync(Broker, queue, new RedriveFilter([], null, TimeSpan.FromHours(1)), dryRun: true);

        Assert.Matches($@"^would move event {old.EventId}  repository acme/api  reason prefect-unavailable  age 3h(0m)?\d*s? \(MT-Fault-Timestamp\)  token valid for ", Assert.Single(older.Lines()));
        Assert.Collection(
            newer.Lines(),
            line => Assert.Matches($@"^would move event {recent.EventId}  repository acme/api  reason prefect-unavailable  age 5m\d*s? \(MT-Fault-Timestamp\)", line),
            line => Assert.Matches($@"^would move event {expired.EventId}  repository acme/api  reason expired  age \d+s \(x-death time\)", line));
        Assert.Contains("; 2 did not match;", older.Output, StringComparison.Ordinal);
        Assert.Contains("; 1 did not match;", newer.Output, StringComparison.Ordinal);
        Assert.Equal(3u, await Broker.MessageCountAsync(ErrorQueue));
    }

    [Fact]
    public async Task A_redriven_message_keeps_its_body_properties_and_headers_but_not_those_of_its_death()
    {
        await RedriveVerb.DeclareQueuesAsync(Broker, queue);
        var faulted = SampleEvents.Tag("v2.0.0");
        var expired = SampleEvents.Tag("v2.0.1");
        await RedriveVerb.PutFaultAsync(Broker, queue, faulted, "prefect-unavailable", DateTimeOffset.UtcNow);
        await RedriveVerb.PublishExpiringAsync(Broker, queue, expired);
        await WaitForAsync(ErrorQueue, 2);

        var exit = await RedriveVerb.RunAsync(Broker, queue);

        Assert.True(exit.Code == 0, exit.ToString());
        var fault = (await Broker.GetWithHeadersAsync(queue))!.Value;
        Assert.Equal(RedriveVerb.Body(faulted), fault.Body);
        Assert.Equal("application/json", fault.ContentType);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", fault.Headers["traceparent"]);
        Assert.Equal(1L, fault.Headers[DeadLetterHeaders.RedriveCount]);
        Assert.Equal("prefect-unavailable", fault.Headers[DeadLetterHeaders.RedrivenReason]);
        Assert.DoesNotContain(fault.Headers.Keys, key => key.StartsWith("MT-", StringComparison.Ordinal) || key.StartsWith("Bridge-Failure", StringComparison.Ordinal));
        var death = (await Broker.GetWithHeadersAsync(queue))!.Value;
        Assert.Equal(RedriveVerb.Body(expired), death.Body);
        Assert.Equal("expired", death.Headers[DeadLetterHeaders.RedrivenReason]);
        Assert.DoesNotContain(death.Headers.Keys, key => key.StartsWith("x-death", StringComparison.Ordinal) || key.StartsWith("x-first-death", StringComparison.Ordinal));
        Assert.Equal(0u, await Broker.MessageCountAsync(ErrorQueue));
    }

    [Fact]
    public async Task A_message_the_queue_refuses_stays_in_the_error_queue_and_the_pass_stops_losing_nothing()
    {
        // A queue that takes one message and then refuses more (reject-publish; a quorum queue notices that it is full
        // once it is past its limit, so it may take one more): the broker nacks a publish.
        await RedriveVerb.DeclareQueuesAsync(Broker, queue, new Dictionary<string, object?>
        {
            ["x-queue-type"] = "quorum", ["x-max-length"] = 1, ["x-overflow"] = "reject-publish",
        });
        var events = new[] { SampleEvents.Tag("v3.0.0"), SampleEvents.Tag("v3.0.1"), SampleEvents.Tag("v3.0.2"), SampleEvents.Tag("v3.0.3") };
        foreach (var message in events)
        {
            await RedriveVerb.PutFaultAsync(Broker, queue, message, "prefect-unavailable", DateTimeOffset.UtcNow);
        }

        var exit = await RedriveVerb.RunAsync(Broker, queue);

        Assert.True(exit.Code == RedriveCommand.Stopped, exit.ToString());
        var moved = exit.Lines().Count;
        Assert.InRange(moved, 1, 2);
        Assert.Equal(events[..moved].Select(e => $"moved event {e.EventId}"), exit.Lines().Select(line => line[..line.IndexOf("  ", StringComparison.Ordinal)]));
        Assert.Contains($"Moved {moved} of {moved} dead letters read from {ErrorQueue}", exit.Output, StringComparison.Ordinal);
        Assert.Contains("Stopped before the end (RabbitMQ: ", exit.Output, StringComparison.Ordinal);
        Assert.StartsWith("bridge redrive: stopped: ", exit.Error, StringComparison.Ordinal);
        await Eventually.WaitAsync(
            async () => await Broker.Management.QueueDepthAsync(ErrorQueue) == (events.Length - moved, 0),
            TimeSpan.FromSeconds(30),
            $"{ErrorQueue} holds the {events.Length - moved} not moved again, none unacknowledged");
        Assert.Equal((uint)moved, await Broker.MessageCountAsync(queue));
        var left = new List<byte[]>();
        while (await Broker.GetAsync(ErrorQueue) is { } body)
        {
            left.Add(body);
        }

        Assert.Equal(
            events[moved..].Select(e => Convert.ToBase64String(RedriveVerb.Body(e))).Order(StringComparer.Ordinal),
            left.Select(Convert.ToBase64String).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Interrupted_it_finishes_the_message_in_hand_and_leaves_the_rest_in_the_error_queue()
    {
        await RedriveVerb.DeclareQueuesAsync(Broker, queue);
        var events = new[] { SampleEvents.Tag("v4.0.0"), SampleEvents.Tag("v4.0.1"), SampleEvents.Tag("v4.0.2") };
        foreach (var message in events)
        {
            await RedriveVerb.PutFaultAsync(Broker, queue, message, "prefect-unavailable", DateTimeOffset.UtcNow);
        }

        using var interrupt = new CancellationTokenSource();
        var exit = await RedriveVerb.RunAsync(Broker, queue, interruptAfterFirstMove: interrupt);

        Assert.True(exit.Code == RedriveCommand.Interrupted, exit.ToString());
        Assert.StartsWith($"moved event {events[0].EventId}  ", Assert.Single(exit.Lines()));
        Assert.Contains("Stopped before the end (interrupted): what was moved is in", exit.Output, StringComparison.Ordinal);
        Assert.Equal(RedriveVerb.Body(events[0]), await Broker.GetAsync(queue));
        await Eventually.WaitAsync(
            async () => await Broker.Management.QueueDepthAsync(ErrorQueue) == (2, 0), TimeSpan.FromSeconds(30), $"{ErrorQueue} holds the other 2, none unacknowledged");
        Assert.Equal(RedriveVerb.Body(events[1]), await Broker.GetAsync(ErrorQueue));
        Assert.Equal(RedriveVerb.Body(events[2]), await Broker.GetAsync(ErrorQueue));
    }

    [Fact]
    public async Task A_broker_that_does_not_answer_is_a_clear_error_naming_the_setting()
    {
        var exit = await RedriveVerb.RunAsync(Broker, queue, url: new Uri("amqp://guest:guest@127.0.0.1:1/"));

        Assert.True(exit.Code == RunCommand.BrokerUnreachable, exit.ToString());
        Assert.StartsWith("bridge redrive: cannot reach RabbitMQ at amqp://guest:***@127.0.0.1:1/ (Bridge:Broker:Url): ", exit.Error, StringComparison.Ordinal);
        Assert.Empty(exit.Output);
    }

    [Fact]
    public async Task A_missing_error_queue_is_a_clear_error_naming_the_queue_and_its_setting()
    {
        var exit = await RedriveVerb.RunAsync(Broker, queue);

        Assert.True(exit.Code == RedriveCommand.QueueMissing, exit.ToString());
        Assert.Contains($"has no queue '{ErrorQueue}' (Bridge:Broker:Queue is '{queue}', or --queue)", exit.Error, StringComparison.Ordinal);
        Assert.False(await Broker.QueueExistsAsync(ErrorQueue), "redrive declares nothing");
    }

    public async Task DisposeAsync()
    {
        await Broker.DeleteQueueAsync(queue);
        await Broker.DeleteQueueAsync(ErrorQueue);
    }

    private Task WaitForAsync(string name, uint count) => Eventually.WaitAsync(
        async () => await Broker.MessageCountAsync(name) == count, TimeSpan.FromSeconds(30), $"{count} message(s) are in {name}");
}
