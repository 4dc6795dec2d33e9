using System.Text.Json;
using System.Text.Json.Serialization;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Queue;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Bridge.Worker.Correlation;

/// <summary>
/// Hands a dispatch INPROGRESS that Bitbucket did not take at the first attempt to the correlating replica, which
/// posts every final status: there the INPROGRESS and the run's final status go through one process and one lock per
/// (commit, key) (<see cref="StatusReporter"/>), so a retried INPROGRESS can never land after the final status another
/// replica posted meanwhile. The dispatching replica publishes it, with a publisher confirm, to the durable quorum queue
/// <c>{Queue}_statuses</c>, which the lease holder consumes (<see cref="HandedOverStatuses"/>). With the in-memory
/// transport (one process, which always holds the lease) there is nothing to hand over: the dispatch retries itself.
/// </summary>
internal sealed class StatusHandover(IOptions<BrokerOptions> broker) : IAsyncDisposable
{
    /// <summary>
    /// Deliveries of one handed-over status while Bitbucket stays unavailable (each with the client's retries), after
    /// which it is given up: its run's final status does not depend on it.
    /// </summary>
    public const int Attempts = 5;

    private readonly SemaphoreSlim _publishing = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;

    /// <summary>The handover queue of an events queue.</summary>
    public static string QueueOf(string eventsQueue) => $"{eventsQueue}_statuses";

    /// <summary>False with the in-memory transport: the dispatch then retries its INPROGRESS itself.</summary>
    public bool IsAvailable => broker.Value.Transport != BrokerTransport.InMemory;

    /// <summary>Publishes <paramref name="post"/> for the correlating replica; returns once the broker confirmed it.</summary>
    public async Task HandOverAsync(StatusPost post, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        var body = JsonSerializer.SerializeToUtf8Bytes(HandedOverStatus.Of(post), HandoverJsonContext.Default.HandedOverStatus);
        await _publishing.WaitAsync(cancellationToken);
        try
        {
            var channel = await OpenAsync(cancellationToken);
            await channel.BasicPublishAsync(
                string.Empty, QueueOf(broker.Value.Queue), mandatory: true,
                new BasicProperties { Persistent = true, ContentType = "application/json" },
                body, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await CloseAsync();
            throw new UpstreamUnavailableException("rabbitmq", $"The INPROGRESS of flow run {post.Run.Id} could not be handed over on {QueueOf(broker.Value.Queue)} ({ex.Message})");
        }
        finally
        {
            _publishing.Release();
        }
    }

    public ValueTask DisposeAsync() => new(CloseAsync());

    /// <summary>
    /// Durable quorum, as RabbitMQ 4 wants; a status that crashes its holders again and again is dropped after twice
    /// <see cref="Attempts"/> deliveries (it is an INPROGRESS: the final status does not depend on it).
    /// </summary>
    internal static Task DeclareAsync(IChannel channel, string queue, CancellationToken cancellationToken) =>
        RabbitMqTopology.DeclareQuorumQueueAsync(
            channel, queue, new Dictionary<string, object?> { [RabbitMqTopology.DeliveryLimitArgument] = 2 * Attempts }, cancellationToken);

    private async Task<IChannel> OpenAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true } open)
        {
            return open;
        }

        await CloseAsync();
        var factory = new ConnectionFactory { Uri = new Uri(broker.Value.Url), AutomaticRecoveryEnabled = false, ClientProvidedName = "bridge-status-handover-publish" };
        _connection = await factory.CreateConnectionAsync(cancellationToken);
        _channel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        await DeclareAsync(_channel, QueueOf(broker.Value.Queue), cancellationToken);
        return _channel;
    }

    private async Task CloseAsync()
    {
        var (connection, channel) = (_connection, _channel);
        (_connection, _channel) = (null, null);
        if (channel is not null)
        {
            await channel.DisposeAsync();
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }
}

/// <summary>A dispatch INPROGRESS on its way to the correlating replica (<see cref="StatusHandover"/>).</summary>
internal sealed record HandedOverStatus(
    Guid RunId, string? RunName, string WorkspaceUuid, string RepositoryUuid, string Commit, string StatusKey, string StatusName, string? Ref,
    string? TraceParent, string State, string Description, DateTimeOffset? SentAt)
{
    public static HandedOverStatus Of(StatusPost post)
    {
        var run = post.Run;
        return new HandedOverStatus(
            run.Id, run.Name, run.Target.WorkspaceUuid, run.Target.RepositoryUuid, run.Target.Commit, run.StatusKey, run.StatusName, run.Ref,
            run.TraceParent, post.Update.State, post.Update.Description, post.SentAt);
    }

    public StatusPost ToPost() =>
        new(
            new CorrelatedRun(RunId, RunName, new StatusTarget(WorkspaceUuid, RepositoryUuid, Commit), StatusKey, StatusName, Ref) { TraceParent = TraceParent },
            new StatusUpdate(State, Description),
            ReportPath.Handover)
        { SentAt = SentAt };
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HandedOverStatus))]
internal sealed partial class HandoverJsonContext : JsonSerializerContext;
