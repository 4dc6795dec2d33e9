using RabbitMQ.Client;

namespace Bridge.Tests.Infrastructure;

/// <summary>
/// One private RabbitMQ node started from Debian's rabbitmq-server (<see cref="RabbitMqNode"/>), with its own node
/// name, AMQP and distribution ports and data/log/config directories under a temp dir, and the queue operations the
/// tests need (<see cref="RabbitMqQueues"/>). It neither needs nor touches a system broker. The node reads its stdin
/// (RABBITMQ_ALLOW_INPUT) and halts on EOF, so it also goes away when the test process dies without disposing it.
/// </summary>
public sealed class RabbitMqBroker : IAsyncDisposable
{
    public const string ServerScript = RabbitMqNode.ServerScript;
    public const string NotInstalledMessage =
        "rabbitmq-server is not installed: run scripts/test (it installs it) or apt-get install rabbitmq-server";

    static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(60);

    readonly RabbitMqNode node;
    readonly RabbitMqQueues queues;
    readonly RabbitMqManagement management;
    bool disposed;

    RabbitMqBroker(RabbitMqNode node)
    {
        this.node = node;
        queues = new RabbitMqQueues(CreateConnectionFactory);
        management = new RabbitMqManagement(RabbitMqNode.Host, node.ManagementPort, Username, Password);
    }

    public string NodeName => node.NodeName;
    public string Host => RabbitMqNode.Host;
    public int Port => node.Port;
    public int DistributionPort => node.DistributionPort;
    public string Username => "guest";
    public string Password => "guest";
    public Uri AmqpUri => new($"amqp://{Username}:{Password}@{Host}:{Port}/");

    /// <summary>The exact command line the broker was started with (shell-quoted).</summary>
    public string Command => node.Command;

    /// <summary>Time from process start until the first AMQP connection succeeded.</summary>
    public TimeSpan StartupTime => node.StartupTime;

    public string LogFile => node.LogFile;

    /// <summary>The management HTTP API: what is declared, read back from the broker.</summary>
    public RabbitMqManagement Management
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return management;
        }
    }

    /// <summary>Starts a broker and returns once it accepts AMQP connections; throws with the log tail otherwise.</summary>
    public static async Task<RabbitMqBroker> StartAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The private RabbitMQ broker needs Linux with Debian's rabbitmq-server.");
        }

        if (!File.Exists(ServerScript))
        {
            throw new InvalidOperationException(NotInstalledMessage);
        }

        // Free ports are picked by binding port 0 and releasing it; if another process grabs one in between,
        // the node exits early and we try again with fresh ports.
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var node = RabbitMqNode.Create();
            try
            {
                await node.StartAsync(CreateConnectionFactory(node), timeout ?? DefaultStartTimeout, cancellationToken);
                return new RabbitMqBroker(node);
            }
            catch (RabbitMqNode.ExitedException) when (attempt < attempts)
            {
                await node.DisposeAsync();
            }
            catch
            {
                await node.DisposeAsync();
                throw;
            }
        }
    }

    public ConnectionFactory CreateConnectionFactory() => CreateConnectionFactory(node);

    /// <summary>Stops the node as an outage would (every connection drops); <see cref="StartAgainAsync"/> brings it back.</summary>
    public Task StopAsync() => node.StopAsync();

    /// <summary>Starts the stopped node again on the same ports and data (durable queues and persistent messages kept).</summary>
    public Task StartAgainAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        node.StartAsync(CreateConnectionFactory(node), timeout ?? DefaultStartTimeout, cancellationToken);

    static ConnectionFactory CreateConnectionFactory(RabbitMqNode node) => new()
    {
        HostName = RabbitMqNode.Host,
        Port = node.Port,
        UserName = "guest",
        Password = "guest",
        VirtualHost = "/",
    };

    /// <summary>Number of ready messages in the queue; 0 if the queue does not exist.</summary>
    public Task<uint> MessageCountAsync(string queue) => Queues.MessageCountAsync(queue);

    /// <inheritdoc cref="RabbitMqQueues.ConsumerCountAsync"/>
    public Task<uint> ConsumerCountAsync(string queue) => Queues.ConsumerCountAsync(queue);

    public Task<bool> QueueExistsAsync(string queue) => Queues.QueueExistsAsync(queue);

    /// <inheritdoc cref="RabbitMqQueues.DeclareEventQueueAsync"/>
    public Task DeclareEventQueueAsync(string queue) => Queues.DeclareEventQueueAsync(queue);

    /// <inheritdoc cref="RabbitMqQueues.PurgeAsync"/>
    public Task<uint> PurgeAsync(string queue) => Queues.PurgeAsync(queue);

    /// <inheritdoc cref="RabbitMqQueues.OpenChannelAsync"/>
    public Task<IChannel> OpenChannelAsync(bool confirms) => Queues.OpenChannelAsync(confirms);

    /// <summary>The node's processes (beam.smp and the helpers it started; not the shared epmd), e.g. to read their CPU time.</summary>
    public IReadOnlyList<int> ProcessIds() => RabbitMqNodeProcesses.Find(node.NodeName);

    /// <inheritdoc cref="RabbitMqQueues.PublishRawAsync"/>
    public Task PublishRawAsync(string exchange, string routingKey, byte[] body, string? contentType) =>
        Queues.PublishRawAsync(exchange, routingKey, body, contentType);

    /// <inheritdoc cref="RabbitMqQueues.GetAsync"/>
    public Task<byte[]?> GetAsync(string queue) => Queues.GetAsync(queue);

    /// <inheritdoc cref="RabbitMqQueues.GetWithHeadersAsync"/>
    public Task<(byte[] Body, string? ContentType, IReadOnlyDictionary<string, object?> Headers)?> GetWithHeadersAsync(string queue) =>
        Queues.GetWithHeadersAsync(queue);

    public Task DeleteQueueAsync(string queue) => Queues.DeleteQueueAsync(queue);

    /// <summary>The last lines of the broker's log file and of its stdout/stderr.</summary>
    public string ReadLogTail(int lines = 40) => node.ReadLogTail(lines);

    RabbitMqQueues Queues
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return queues;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        management.Dispose();
        await queues.DisposeAsync();
        await node.DisposeAsync();
    }
}
