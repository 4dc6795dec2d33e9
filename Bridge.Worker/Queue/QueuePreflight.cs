using Bridge.Worker.Webhooks;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Bridge.Worker.Queue;

/// <summary>
/// Before the bus starts: declares each event queue with the arguments MassTransit is about to declare it with, so an
/// existing queue RabbitMQ finds inequivalent (an earlier Bridge's, without a delivery limit) stops start-up at once with
/// a <see cref="QueueDeclarationRefusal"/> (exit 6), instead of the bus retrying until <c>StartTimeout</c> and failing in a
/// way that depends on where its retries were. Declaring an existing queue with equal arguments changes nothing. It is
/// also where start-up waits for an unreachable broker (<see cref="BrokerStartupWait"/>).
/// </summary>
internal sealed class QueuePreflight(
    IOptions<BrokerOptions> broker, IOptions<WebhookOptions> webhooks, BrokerStartupWait wait, ILogger<QueuePreflight> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = broker.Value;
        if (options.Transport != BrokerTransport.RabbitMq)
        {
            return;
        }

        var factory = new ConnectionFactory { Uri = new Uri(options.Url), AutomaticRecoveryEnabled = false, ClientProvidedName = "bridge-queue-preflight" };
        (string Setting, string Name)[] queues = webhooks.Value.Enabled
            ? [($"{BrokerOptions.Section}:Queue", options.Queue), ($"{WebhookOptions.Section}:Queue", webhooks.Value.Queue)]
            : [($"{BrokerOptions.Section}:Queue", options.Queue)];
        // Waits for the broker (one log line per attempt) until StartTimeout; the bus starts only once it answered.
        await using (var connection = await wait.ConnectAsync(factory, cancellationToken))
        {
            foreach (var (setting, queue) in queues)
            {
                await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
                try
                {
                    await channel.QueueDeclareAsync(
                        queue, durable: true, exclusive: false, autoDelete: false, RabbitMqTopology.DeclaredArguments(queue, options), cancellationToken: cancellationToken);
                }
                catch (Exception ex) when (QueueDeclarationRefusal.Find(ex) is { } refusal)
                {
                    // One line, no stack trace: the refusal is the broker's answer, not a fault of Bridge's (bridge run
                    // prints what to do and exits 6; the host's own "Hosting failed to start" is filtered out).
                    logger.LogError(
                        "RabbitMQ refused to declare queue {Queue} ({Setting}): it exists with another {Argument}; the broker said: {Reply}",
                        queue, setting, refusal.Argument, refusal.Reply);
                    throw new QueueDeclarationRefusedException(refusal, ex);
                }
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Carries a <see cref="QueueDeclarationRefusal"/> out of start-up.</summary>
internal sealed class QueueDeclarationRefusedException(QueueDeclarationRefusal refusal, Exception inner) : Exception(refusal.ToString(), inner);
