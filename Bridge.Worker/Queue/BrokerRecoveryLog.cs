using MassTransit;

namespace Bridge.Worker.Queue;

/// <summary>
/// A broker outage after start-up, told once at each end: a warning when the first receive endpoint faults (MassTransit
/// then logs each reconnect attempt, one line each), one Information line when the last of them consumes again.
/// </summary>
internal sealed class BrokerRecoveryLog(TimeProvider time, ILogger<BrokerRecoveryLog> logger) : IReceiveEndpointObserver
{
    private readonly Lock gate = new();
    private readonly HashSet<Uri> down = [];
    private DateTimeOffset since;

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        ArgumentNullException.ThrowIfNull(faulted);
        lock (gate)
        {
            if (down.Count == 0)
            {
                since = time.GetUtcNow();
                logger.LogWarning(
                    "The connection to RabbitMQ was lost ({Reason}); consuming stops until MassTransit reconnects",
                    faulted.Exception?.GetBaseException().Message ?? "no reason given");
            }

            down.Add(faulted.InputAddress);
        }

        return Task.CompletedTask;
    }

    public Task Ready(ReceiveEndpointReady ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        lock (gate)
        {
            if (down.Remove(ready.InputAddress) && down.Count == 0)
            {
                logger.LogInformation("The connection to RabbitMQ is back after {Outage}; every queue is consumed again", time.GetUtcNow() - since);
            }
        }

        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;
}
