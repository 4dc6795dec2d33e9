using Bridge.Contracts;
using Bridge.Tests.Identity;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Tests.Webhooks;
using Bridge.Worker.Queue;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Queue;

/// <summary>
/// What a started worker declared, read back from the broker's management API, against RabbitMQ 4.x's rules: no transient
/// queue that is not exclusive (4.3 refuses them), and event queues that dead-letter into their error queue after an
/// explicit delivery limit (4.x drops a message after 20 redeliveries otherwise).
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class QueueDeclarationTests(RabbitMqBrokerFixture fixture)
{
    private readonly RabbitMqBroker broker = fixture.Broker;

    [Fact]
    public async Task Worker_declares_no_transient_queue_that_is_not_exclusive()
    {
        var before = (await broker.Management.QueuesAsync()).Select(q => q.Name).ToHashSet(StringComparer.Ordinal);
        await using var stack = await IdentityRoutes.Stack(broker).WithComposition(WebhookSamples.Settings()).StartAsync();
        // MassTransit declares the bus's own queue only once something listens on it (a request client awaiting its
        // response, a handler connected to the bus): connect one, as a request client would.
        using var listening = stack.Worker.Services.GetRequiredService<IBus>().ConnectHandler<PipelineEvent>(_ => Task.CompletedTask);

        var declared = (await broker.Management.QueuesAsync()).Where(q => !before.Contains(q.Name)).ToList();

        // The bus's own endpoint (MassTransit's response queue) is among them, so the rule is checked where it bites.
        var bus = Assert.Single(declared, q => q.Name.Contains("_bus_", StringComparison.Ordinal));
        Assert.True(bus.Exclusive, bus.ToString());
        Assert.True(declared.Count >= 5, $"expected both event queues, their error queues and the bus queue; got:\n{string.Join('\n', declared)}");
        var refused = declared.Where(q => q.IsTransientNonExclusive).ToList();
        Assert.True(refused.Count == 0, $"RabbitMQ 4.3 would refuse these transient non-exclusive queues:\n{string.Join('\n', refused)}");
    }

    [Fact]
    public async Task Each_event_queue_is_a_quorum_queue_with_a_delivery_limit_that_dead_letters_into_its_error_queue()
    {
        var webhooks = WebhookSamples.Settings();
        await using var stack = await IdentityRoutes.Stack(broker).With<BrokerOptions>(o => o.DeliveryLimit = 7).WithComposition(webhooks).StartAsync();

        foreach (var queue in new[] { stack.Queue, webhooks["Bridge:Webhooks:Queue"]! })
        {
            var error = $"{queue}_error";
            var declared = await broker.Management.QueueAsync(queue) ?? throw new Xunit.Sdk.XunitException($"{queue} was not declared");
            Assert.True(declared is { Type: "quorum", Durable: true, AutoDelete: false }, declared.ToString());
            Assert.Equal("7", declared.Argument("x-delivery-limit"));
            Assert.Equal(error, declared.Argument("x-dead-letter-exchange"));
            Assert.Equal("at-least-once", declared.Argument("x-dead-letter-strategy"));
            Assert.Equal("reject-publish", declared.Argument("x-overflow"));

            // The target exists before anything faulted: exchange, queue and binding, and the error queue itself dead-letters nowhere.
            Assert.Equal(("fanout", true), await broker.Management.ExchangeAsync(error));
            Assert.True(await broker.Management.IsBoundAsync(error, error), $"{error} (exchange) is not bound to {error} (queue)");
            var target = await broker.Management.QueueAsync(error) ?? throw new Xunit.Sdk.XunitException($"{error} was not declared at start-up");
            Assert.True(target is { Type: "quorum", Durable: true, AutoDelete: false }, target.ToString());
            Assert.Null(target.Argument("x-dead-letter-exchange"));
            Assert.Null(target.Argument("x-delivery-limit"));

            // And it routes: what the broker dead-letters (with the queue's name as routing key) lands in the error queue.
            await broker.PublishRawAsync(error, queue, "{}"u8.ToArray(), "application/json");
            Assert.Equal(1u, await broker.MessageCountAsync(error));
            Assert.NotNull(await broker.GetAsync(error));
        }
    }
}
