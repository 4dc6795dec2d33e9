using RabbitMQ.Client;

namespace Bridge.Worker.Redrive;

/// <summary>
/// Moves dead letters from <c>{queue}_error</c> back to the queue, one at a time and never losing one: each is published to
/// the queue and confirmed by the broker before it is acknowledged in <c>_error</c>, so that whenever this stops (Ctrl-C,
/// a crash, the broker gone) every message is in one queue or the other (in both, at worst, which the flow run's
/// idempotency key makes harmless).
/// </summary>
/// <remarks>
/// One pass over the messages <c>_error</c> held when it started (later ones, e.g. a redriven event failing again, wait
/// for the next run). What it leaves is held unacknowledged until the pass ends and then returned with one
/// <c>basic.nack</c> (not <c>basic.reject</c>, which RabbitMQ 4.3 counts as a failed delivery), so that the queue returns
/// them in their order: to its head where it has a delivery limit (RabbitMQ 4.x's default), to its tail, behind what
/// arrived meanwhile, where it has none (3.x). Returning each at once would hand it straight back (at the head) or
/// reorder the queue (at the tail).
/// </remarks>
internal sealed class Redriver(IChannel channel, RedriveRequest request, RedriveReport report, string? user, DateTimeOffset now)
{
    /// <param name="cancellationToken">Stops the pass between two messages; the message in hand is always finished.</param>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var waiting = (await channel.QueueDeclarePassiveAsync(request.ErrorQueue, CancellationToken.None)).MessageCount;
        ulong? held = null; // the latest delivery still unacknowledged
        try
        {
            for (var read = 0u; read < waiting && !cancellationToken.IsCancellationRequested; read++)
            {
                var message = await channel.BasicGetAsync(request.ErrorQueue, autoAck: false, CancellationToken.None);
                if (message is null)
                {
                    break;
                }

                var previous = held;
                held = message.DeliveryTag;
                if (await MoveAsync(message))
                {
                    held = previous;
                }
            }
        }
        finally
        {
            if (held is { } last && channel.IsOpen)
            {
                // Everything still unacknowledged back to _error at once (a channel that closed returned it already).
                await channel.BasicNackAsync(last, multiple: true, requeue: true, CancellationToken.None);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Moves the message if it is to be moved; true when it was (and acknowledged in <c>_error</c>).</summary>
    private async Task<bool> MoveAsync(BasicGetResult message)
    {
        var letter = DeadLetter.Read(message.BasicProperties, message.Body);
        var matches = request.Filter.Matches(letter, now);
        if (!matches || report.LimitReached)
        {
            report.Left(matches);
            return false;
        }

        if (request.DryRun)
        {
            report.Move(letter);
            return false;
        }

        var properties = DeadLetterHeaders.ForRedrive(message.BasicProperties, letter.Reason, user);
        await channel.BasicPublishAsync(string.Empty, request.Queue, mandatory: true, properties, message.Body, CancellationToken.None);
        await channel.BasicAckAsync(message.DeliveryTag, multiple: false, CancellationToken.None);
        report.Move(letter);
        return true;
    }
}
