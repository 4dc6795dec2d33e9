using Bridge.Worker.Queue;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Bridge.Worker.Correlation;

/// <summary>
/// Which replica correlates. Every replica consumes the durable quorum queue <c>{Queue}_correlator</c>, declared with
/// <c>x-single-active-consumer</c>, and publishes a small tick to it every <c>LeaseRenewInterval</c>: the broker delivers
/// to one consumer only, so the replica that receives ticks holds the lease. It loses it when its connection drops or
/// no tick arrived for <c>LeaseTimeout</c>; the broker then makes another replica's consumer the active one, which
/// receives the next tick. The event stream, the poll, the repair sweep and the callback run only under the lease, so
/// each final status is posted once and Prefect's load does not grow with the replicas. With the in-memory transport
/// (one process, no broker) the lease is always held.
/// </summary>
internal sealed class CorrelatorLease(
    IOptions<BrokerOptions> broker, IOptions<CorrelationOptions> options, ReportedRuns reported, TimeProvider time, ILogger<CorrelatorLease> logger)
    : BackgroundService
{
    private readonly Lock _gate = new();
    private TaskCompletionSource<CancellationToken> _acquired = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _tenure;
    private long _lastTick;

    /// <summary>The lease queue of an events queue.</summary>
    public static string QueueOf(string eventsQueue) => $"{eventsQueue}_correlator";

    public bool IsHeld
    {
        get
        {
            lock (_gate)
            {
                return _tenure is { IsCancellationRequested: false };
            }
        }
    }

    /// <summary>Tenures so far (for tests and diagnostics).</summary>
    public int Tenures { get; private set; }

    /// <summary>Waits until this replica holds the lease; the token returned is cancelled when it loses it.</summary>
    public async Task<CancellationToken> AcquireAsync(CancellationToken stoppingToken)
    {
        Task<CancellationToken> acquired;
        lock (_gate)
        {
            acquired = _acquired.Task;
        }

        return await acquired.WaitAsync(stoppingToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> for each tenure of the lease, with a token cancelled when the lease is lost or the
    /// worker stops; returns when the worker stops.
    /// </summary>
    public async Task RunWhileHeldAsync(Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        while (!stoppingToken.IsCancellationRequested)
        {
            CancellationToken held;
            try
            {
                held = await AcquireAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            using var tenure = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, held);
            try
            {
                await work(tenure.Token);
            }
            catch (OperationCanceledException) when (tenure.IsCancellationRequested)
            {
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (broker.Value.Transport == BrokerTransport.InMemory)
        {
            Gain("the in-memory transport has one process");
            return;
        }

        var settings = options.Value;
        var queue = QueueOf(broker.Value.Queue);
        using var renew = new PeriodicTimer(settings.LeaseRenewInterval, time);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await Connect(broker.Value.Url, stoppingToken);
                await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
                await Declare(channel, queue, stoppingToken);
                var consumer = new AsyncEventingBasicConsumer(channel);
                consumer.ReceivedAsync += (_, _) =>
                {
                    Interlocked.Exchange(ref _lastTick, time.GetTimestamp());
                    Gain($"this replica's consumer of {queue} is the active one");
                    return Task.CompletedTask;
                };
                connection.ConnectionShutdownAsync += (_, why) =>
                {
                    Lose($"the broker connection closed ({why.ReplyText})");
                    return Task.CompletedTask;
                };
                await channel.BasicConsumeAsync(queue, autoAck: true, consumer, stoppingToken);
                do
                {
                    await channel.BasicPublishAsync(
                        string.Empty, queue, mandatory: false,
                        new BasicProperties { Expiration = ((long)settings.LeaseTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) },
                        ReadOnlyMemory<byte>.Empty, stoppingToken);
                    if (IsHeld && time.GetElapsedTime(Interlocked.Read(ref _lastTick)) > settings.LeaseTimeout)
                    {
                        Lose($"no tick for {settings.LeaseTimeout}");
                    }
                }
                while (connection.IsOpen && await renew.WaitForNextTickAsync(stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (BackgroundLoop.ShouldContinue(ex, stoppingToken))
            {
                Lose("the broker is unavailable");
                logger.LogWarning("The correlator lease ({Queue}) is unavailable; trying again in {Interval}: {Why}", queue, settings.LeaseRenewInterval, Why(ex));
                await Task.Delay(settings.LeaseRenewInterval, time, stoppingToken);
            }
        }

        Lose("the worker is stopping", LogLevel.Information);
    }

    /// <summary>The broker's reason in a line: the client's own message of a closed connection carries its cause's stack trace.</summary>
    private static string Why(Exception ex) => ex switch
    {
        RabbitMQ.Client.Exceptions.OperationInterruptedException { ShutdownReason: { } reason } => $"{reason.ReplyText} ({reason.Cause?.GetType().Name ?? reason.Initiator.ToString()})",
        _ => ex.GetBaseException().Message,
    };

    private static async Task<IConnection> Connect(string url, CancellationToken cancellationToken)
    {
        // Recovery is off: a dropped connection loses the lease at once, and the loop reconnects.
        var factory = new ConnectionFactory { Uri = new Uri(url), AutomaticRecoveryEnabled = false, ClientProvidedName = "bridge-correlator-lease" };
        return await factory.CreateConnectionAsync(cancellationToken);
    }

    private static Task Declare(IChannel channel, string queue, CancellationToken cancellationToken) =>
        RabbitMqTopology.DeclareQuorumQueueAsync(
            channel,
            queue,
            new Dictionary<string, object?> { ["x-single-active-consumer"] = true, ["x-max-length"] = 16, ["x-overflow"] = "drop-head" },
            cancellationToken);

    private void Gain(string why)
    {
        lock (_gate)
        {
            if (_tenure is { IsCancellationRequested: false })
            {
                return;
            }

            _tenure?.Dispose();
            _tenure = new CancellationTokenSource();
            reported.TenureBegan(time.GetUtcNow());
            Tenures++;
            _acquired.TrySetResult(_tenure.Token);
        }

        logger.LogInformation("This replica correlates now: {Why}", why);
    }

    private void Lose(string why, LogLevel level = LogLevel.Warning)
    {
        CancellationTokenSource tenure;
        lock (_gate)
        {
            if (_tenure is not { IsCancellationRequested: false } held)
            {
                return;
            }

            _acquired = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
            tenure = held;
        }

        // Outside the lock: the loops' cancellation callbacks run here.
        tenure.Cancel();
        logger.Log(level, "This replica no longer correlates: {Why}", why);
    }
}
