using Bridge.Worker.Queue;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Ingress;

/// <summary>Sends what the ingress accepted to one of the worker's queues and reports whether the broker confirmed it.</summary>
internal sealed class ConfirmedSender(ISendEndpointProvider sender, IOptions<BrokerOptions> broker, ILogger<ConfirmedSender> logger)
{
    /// <returns>Whether the broker confirmed the message; when not, the failure is logged (by type only) against <paramref name="id"/>.</returns>
    public async Task<bool> SendAsync<T>(T message, string queue, string id, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            // The RabbitMQ transport waits for the publisher confirm before this completes.
            var endpoint = await sender.GetSendEndpoint(QueueAddresses.For(broker.Value, queue));
            await endpoint.Send(message, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError("{MessageType} {Id} could not be queued on {Queue}: {Error}", typeof(T).Name, id, queue, ex.GetType().Name);
            return false;
        }
    }
}
