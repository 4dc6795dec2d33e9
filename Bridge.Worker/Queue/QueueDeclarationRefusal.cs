using System.Text.RegularExpressions;
using RabbitMQ.Client.Exceptions;

namespace Bridge.Worker.Queue;

/// <summary>
/// RabbitMQ refused to declare a queue as Bridge declares it (PRECONDITION_FAILED, "inequivalent arg"): the queue
/// exists with other arguments, e.g. declared by an earlier Bridge without a delivery limit and dead-letter target,
/// or with another <c>Bridge:Broker:DeliveryLimit</c>. RabbitMQ cannot change a queue's arguments, so retrying cannot help.
/// <paramref name="Reply"/> is the broker's own reply text.
/// </summary>
internal sealed partial record QueueDeclarationRefusal(string Queue, string Argument, string Reply)
{
    private const ushort PreconditionFailed = 406;

    /// <summary>The refusal somewhere in <paramref name="exception"/>'s chain (MassTransit wraps it), else null.</summary>
    public static QueueDeclarationRefusal? Find(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OperationInterruptedException { ShutdownReason: { ReplyCode: PreconditionFailed } reason }
                && Inequivalent().Match(reason.ReplyText) is { Success: true } match)
            {
                return new QueueDeclarationRefusal(match.Groups["queue"].Value, match.Groups["argument"].Value, reason.ReplyText);
            }
        }

        return null;
    }

    /// <summary>What went wrong and what to do, in one line (the broker's reply names no secret).</summary>
    public override string ToString() =>
        $"RabbitMQ refused to declare queue '{Queue}': it exists with another '{Argument}'. Bridge declares its queues with "
        + $"{RabbitMqTopology.DeliveryLimitArgument} ({BrokerOptions.Section}:DeliveryLimit) and {RabbitMqTopology.DeadLetterExchangeArgument} "
        + $"('{RabbitMqTopology.ErrorQueue(Queue)}'), which RabbitMQ cannot add to an existing queue: stop the workers, move the queue's "
        + "messages aside, delete it and start Bridge again (docs/operations.md, \"Upgrading existing queues\").";

    [GeneratedRegex(@"inequivalent arg '(?<argument>[^']+)' for queue '(?<queue>[^']+)'")]
    private static partial Regex Inequivalent();
}
