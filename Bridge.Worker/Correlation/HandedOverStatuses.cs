using System.Text.Json;
using Bridge.Worker.Queue;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Bridge.Worker.Correlation;

/// <summary>
/// The lease holder's side of <see cref="StatusHandover"/>: while it holds the <see cref="CorrelatorLease"/> it consumes
/// <c>{Queue}_statuses</c> and posts each handed-over INPROGRESS through the <see cref="StatusReporter"/> (path
/// <c>handover</c>), which drops it if its run has ended (its final status is next, from the same process). A message
/// is acknowledged once posted or given up, so a holder that dies leaves it to the next one.
/// </summary>
internal sealed class HandedOverStatuses(
    IOptions<BrokerOptions> broker, StatusHandover handover, CorrelatorLease lease, IServiceScopeFactory scopes, ILogger<HandedOverStatuses> logger)
    : BackgroundService
{
    /// <summary>Handed-over statuses the holder posts side by side.</summary>
    private const ushort Prefetch = 16;

    /// <summary>The pause before a status Bitbucket did not take goes back to the queue.</summary>
    private static readonly TimeSpan Requeue = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        handover.IsAvailable ? lease.RunWhileHeldAsync(ConsumeWhileHeldAsync, stoppingToken) : Task.CompletedTask;

    private async Task ConsumeWhileHeldAsync(CancellationToken tenure)
    {
        var queue = StatusHandover.QueueOf(broker.Value.Queue);
        while (!tenure.IsCancellationRequested)
        {
            try
            {
                var factory = new ConnectionFactory
                {
                    Uri = new Uri(broker.Value.Url), AutomaticRecoveryEnabled = false, ClientProvidedName = "bridge-status-handover",
                    ConsumerDispatchConcurrency = Prefetch,
                };
                await using var connection = await factory.CreateConnectionAsync(tenure);
                await using var channel = await connection.CreateChannelAsync(cancellationToken: tenure);
                await StatusHandover.DeclareAsync(channel, queue, tenure);
                await channel.BasicQosAsync(0, Prefetch, global: false, tenure);
                var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                connection.ConnectionShutdownAsync += (_, _) =>
                {
                    closed.TrySetResult();
                    return Task.CompletedTask;
                };
                var consumer = new AsyncEventingBasicConsumer(channel);
                consumer.ReceivedAsync += (_, delivery) => PostAsync(channel, delivery, tenure);
                await channel.BasicConsumeAsync(queue, autoAck: false, consumer, tenure);
                await closed.Task.WaitAsync(tenure);
            }
            catch (OperationCanceledException) when (tenure.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (BackgroundLoop.ShouldContinue(ex, tenure))
            {
                logger.LogWarning("The status handover queue {Queue} is unavailable; trying again in 5 s: {Why}", queue, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), tenure);
            }
        }
    }

    /// <summary>
    /// Posts one handed-over status and acknowledges it; while Bitbucket stays unavailable it goes back to the queue, up to
    /// <see cref="StatusHandover.Attempts"/> deliveries. A lost tenure leaves it unacknowledged for the next holder.
    /// </summary>
    private async Task PostAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken tenure)
    {
        HandedOverStatus? status = null;
        try
        {
            status = JsonSerializer.Deserialize(delivery.Body.Span, HandoverJsonContext.Default.HandedOverStatus);
        }
        catch (JsonException ex)
        {
            logger.LogWarning("A message on the status handover queue is no handed-over status, dropped: {Why}", ex.Message);
        }

        try
        {
            if (status is not null)
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<StatusReporter>().ReportAsync(status.ToPost(), tenure);
            }
        }
        catch (Exception) when (tenure.IsCancellationRequested)
        {
            return;
        }
        catch (UpstreamUnavailableException ex) when (DeliveryCount(delivery) + 1 < StatusHandover.Attempts)
        {
            logger.LogInformation("Flow run {FlowRunId}: Bitbucket did not take its handed-over INPROGRESS ({Why}); trying again", status!.RunId, ex.Message);
            await Task.Delay(Requeue, tenure);
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, CancellationToken.None);
            return;
        }
        catch (Exception ex) when (BackgroundLoop.ShouldContinue(ex, tenure))
        {
            // Only an INPROGRESS is handed over: the run's final status follows from the correlating paths.
            logger.LogWarning("Flow run {FlowRunId}: its handed-over INPROGRESS could not be posted, given up: {Why}", status!.RunId, ex.Message);
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None);
    }

    /// <summary>Earlier deliveries of the message: quorum queues count them in <c>x-delivery-count</c>.</summary>
    private static long DeliveryCount(BasicDeliverEventArgs delivery) =>
        delivery.BasicProperties.Headers?.TryGetValue("x-delivery-count", out var count) == true
            ? count switch { long n => n, int n => n, _ => 0 }
            : 0;
}
