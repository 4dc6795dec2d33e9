using MassTransit;
using RabbitMQ.Client;

namespace Bridge.Worker.Queue;

/// <summary>
/// What Bridge declares on RabbitMQ, held to RabbitMQ 4.x's rules: no transient queue that is not exclusive (4.3 refuses
/// them), and event queues whose poison messages end in <c>{queue}_error</c> instead of being dropped after 4.x's
/// default of 20 redeliveries.
/// </summary>
internal static class RabbitMqTopology
{
    public const string DeliveryLimitArgument = "x-delivery-limit";
    public const string DeadLetterExchangeArgument = "x-dead-letter-exchange";
    public const string DeadLetterStrategyArgument = "x-dead-letter-strategy";
    public const string OverflowArgument = "x-overflow";

    /// <summary>MassTransit's error queue (and its exchange) of a receive queue.</summary>
    public static string ErrorQueue(string queue) => $"{queue}_error";

    /// <summary>
    /// The bus's own temporary endpoint (its response queue, declared non-durable when something first listens on it) is
    /// exclusive: RabbitMQ 4.3 accepts a transient queue only if it is. MassTransit 8.5's topology builder already makes
    /// every non-durable auto-delete queue exclusive (and swaps auto-delete for the queue's <c>x-expires</c>); Bridge
    /// says so itself rather than rely on that, and QueueDeclarationTests reads the declaration back.
    /// The error and skipped queues MassTransit declares copy their receive queue's arguments: they are declared without
    /// the dead-letter arguments of <see cref="ConfigureEventQueue"/>, so that an error queue never dead-letters into
    /// itself and is declared exactly as <see cref="ConfigureEventQueue"/> declared it at start-up.
    /// </summary>
    public static void ConfigureBus(IRabbitMqBusFactoryConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.Exclusive = true;
        bus.SendTopology.ConfigureErrorSettings = AsFaultQueue;
        bus.SendTopology.ConfigureDeadLetterSettings = AsFaultQueue;
    }

    /// <summary>
    /// A durable quorum queue with an explicit delivery limit that dead-letters into <c>{queue}_error</c>, whose exchange,
    /// queue and binding are declared at start-up (as MassTransit would declare them on the first fault), so that the
    /// broker never has nowhere to put a message.
    /// </summary>
    public static void ConfigureEventQueue(IRabbitMqReceiveEndpointConfigurator endpoint, string queue, BrokerOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        endpoint.SetQuorumQueue();
        foreach (var (name, value) in EventQueueArguments(options))
        {
            endpoint.SetQueueArgument(name, value);
        }

        var error = ErrorQueue(queue);
        endpoint.BindDeadLetterQueue(error, error, errorQueue => errorQueue.SetQuorumQueue());
    }

    /// <summary>
    /// The arguments of an event queue besides its type and dead-letter exchange (which MassTransit's
    /// <c>BindDeadLetterQueue</c> sets): its delivery limit and how it dead-letters.
    /// </summary>
    public static IEnumerable<(string Name, object Value)> EventQueueArguments(BrokerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        yield return (DeliveryLimitArgument, options.DeliveryLimit);

        // at-least-once: the queue keeps a dead-lettered message until _error confirmed it (the default, at-most-once,
        // loses it if _error is unavailable at that moment). RabbitMQ (3.10+) honours it only with overflow
        // reject-publish; Bridge sets no length limit, and should an operator's policy add one, refusing new events
        // (the publisher sees a nack: the ingress answers 503) is better than drop-head silently losing the oldest.
        yield return (DeadLetterStrategyArgument, "at-least-once");
        yield return (OverflowArgument, "reject-publish");
    }

    /// <summary>Every argument of an event queue as RabbitMQ receives it from MassTransit.</summary>
    public static Dictionary<string, object?> DeclaredArguments(string queue, BrokerOptions options)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["x-queue-type"] = "quorum",
            [DeadLetterExchangeArgument] = ErrorQueue(queue),
        };
        foreach (var (name, value) in EventQueueArguments(options))
        {
            arguments[name] = value;
        }

        return arguments;
    }

    /// <summary>Declares one of Bridge's own durable quorum queues (not an event queue) with <paramref name="arguments"/>.</summary>
    public static Task DeclareQuorumQueueAsync(IChannel channel, string queue, Dictionary<string, object?> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(arguments);
        arguments["x-queue-type"] = "quorum";
        return channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: cancellationToken);
    }

    private static void AsFaultQueue(IRabbitMqQueueBindingConfigurator queue)
    {
        foreach (var argument in (string[])[DeliveryLimitArgument, DeadLetterExchangeArgument, DeadLetterStrategyArgument, OverflowArgument])
        {
            queue.SetQueueArgument(argument, null);
        }
    }
}
