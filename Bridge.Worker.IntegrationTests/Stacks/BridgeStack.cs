using Bridge.Contracts;
using Bridge.Sandbox.Emulators;
using Bridge.Sandbox.Emulators.Aws;
using Bridge.Sandbox.Emulators.Entra;
using Bridge.Sandbox.Runner;
using Bridge.Worker.Correlation;
using Bridge.Worker.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Bridge.Tests.Stacks;

/// <summary>
/// The real worker on the test broker (a queue of its own) with the emulators behind it, and whatever the test asked its
/// <see cref="Builder"/> for: an issuer of its own, the STS and Entra emulators, the ingress and a client for it.
/// </summary>
internal sealed partial class BridgeStack : IAsyncDisposable
{
    public const string DefaultRoutes = """
        routes:
          - name: release
            match: { repository: "acme/*", events: [tag], ref: "v*" }
            deployment: release-flow/production
            parameters:
              commit: "{{ commit }}"
              version: "{{ ref.name }}"
              build_number: "{{ buildNumber }}"
              pull_request: "{{ pullRequestId }}"
              dry_run: false
            tags: [release]
            statusName: "Release (Prefect)"
          - name: merge-checks
            match: { repository: "acme/*", events: [merge], ref: main }
            deployment: checks-flow/default
            parameters: { commit: "{{ commit }}", pull_request: "{{ pullRequestId }}" }
            statusName: "Checks (Prefect)"
          - name: docs
            match: { repository: "acme/api", events: [merge], ref: main }
            deployment: docs-flow/default
            parameters: { commit: "{{ commit }}" }
        """;

    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly Action<WebApplicationBuilder> configureWorker;
    private readonly OidcWorkspace? issuer;
    private readonly StsEmulator? sts;
    private readonly EntraEmulator? entra;
    private readonly string? clientId;
    private readonly HttpClient? client;
    private readonly string? folder;
    private readonly Infrastructure.RabbitMqBroker broker;

    private BridgeStack(SandboxStack sandbox, Infrastructure.RabbitMqBroker broker, Started started)
    {
        Sandbox = sandbox;
        this.broker = broker;
        configureWorker = started.ConfigureWorker;
        issuer = started.Issuer;
        sts = started.Sts;
        entra = started.Entra;
        clientId = started.ClientId;
        folder = started.Folder;
        IngressPort = started.IngressPort;
        client = started.IngressPort is { } port ? new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") } : null;
    }

    /// <summary>A builder for a worker on <paramref name="broker"/> with <see cref="DefaultRoutes"/> and short retry delays.</summary>
    public static Builder On(Infrastructure.RabbitMqBroker broker) => new(broker);

    public SandboxStack Sandbox { get; }

    public PrefectEmulator Prefect => Sandbox.Prefect;

    public BitbucketEmulator Bitbucket => Sandbox.Bitbucket;

    public WebApplication Worker => Sandbox.Worker;

    public string Queue => Sandbox.Queue;

    /// <summary>The test's own <c>acme</c> issuer (<see cref="Builder.WithOwnIssuer"/>).</summary>
    public OidcWorkspace Issuer => issuer ?? throw NotAskedFor(nameof(Builder.WithOwnIssuer));

    public StsEmulator Sts => sts ?? throw NotAskedFor(nameof(Builder.WithSts));

    public EntraEmulator Entra => entra ?? throw NotAskedFor(nameof(Builder.WithEntra));

    /// <summary>Unique per stack: MSAL's process-wide throttling is keyed by client, tenant and scope.</summary>
    public string ClientId => clientId ?? throw NotAskedFor(nameof(Builder.WithEntra));

    /// <summary>A client for the ingress port (<see cref="Builder.WithIngress"/>).</summary>
    public HttpClient Client => client ?? throw NotAskedFor(nameof(Builder.WithIngress));

    public int? IngressPort { get; }

    public int Port => IngressPort ?? throw NotAskedFor(nameof(Builder.WithIngress));

    public Task SendAsync(PipelineEvent message, CancellationToken cancellationToken) => Sandbox.SendAsync(message, cancellationToken);

    /// <summary>
    /// Stops the worker (as a killed container would stop consuming) and starts a new one with the same settings on the
    /// same emulators and queue, and then <paramref name="changes"/> (e.g. <c>services.PostConfigure&lt;…&gt;</c>). The
    /// caller disposes the new worker.
    /// </summary>
    public async Task<WebApplication> RestartWorkerAsync(Action<WebApplicationBuilder>? changes = null)
    {
        var settings = WorkerSettings();
        await Worker.StopAsync(CancellationToken.None);
        return await StartWorkerAsync(settings, changes);
    }

    /// <summary>
    /// Starts another replica beside the worker: the same settings, emulators and queue (competing consumers). The
    /// caller disposes it.
    /// </summary>
    public Task<WebApplication> StartReplicaAsync(Action<WebApplicationBuilder>? changes = null) => StartWorkerAsync(WorkerSettings(), changes);

    private Dictionary<string, string?> WorkerSettings() =>
        Worker.Services.GetRequiredService<IConfiguration>().AsEnumerable()
            .Where(s => s.Value is not null && (s.Key.StartsWith("Bridge:", StringComparison.Ordinal) || s.Key.StartsWith("Serilog:", StringComparison.Ordinal)))
            .ToDictionary(s => s.Key, s => s.Value);

    private async Task<WebApplication> StartWorkerAsync(Dictionary<string, string?> settings, Action<WebApplicationBuilder>? changes)
    {
        var worker = BridgeWorkerHost.Build([], settings, builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            configureWorker(builder);
            changes?.Invoke(builder);
        });
        await worker.StartAsync(CancellationToken.None);
        return worker;
    }

    public async ValueTask DisposeAsync()
    {
        client?.Dispose();
        var queues = OwnQueues();
        await Sandbox.DisposeAsync();

        // Every test's queues are quorum queues (a Raft group each) on one broker: deleted, so that the broker does not
        // slow down as the suite goes on.
        foreach (var queue in queues)
        {
            await broker.DeleteQueueAsync(queue);
        }

        if (sts is not null)
        {
            await sts.DisposeAsync();
        }

        if (entra is not null)
        {
            await entra.DisposeAsync();
        }

        if (folder is not null)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private List<string> OwnQueues()
    {
        var webhooks = Worker.Services.GetRequiredService<IConfiguration>()["Bridge:Webhooks:Queue"];
        return [.. new[] { Queue, webhooks }.OfType<string>().SelectMany(q => new[] { q, $"{q}_error", $"{q}_skipped" }), CorrelatorLease.QueueOf(Queue), StatusHandover.QueueOf(Queue)];
    }

    private static InvalidOperationException NotAskedFor(string method) =>
        new($"The stack was built without BridgeStack.Builder.{method}().");

    /// <summary>What <see cref="Builder.StartAsync"/> set up besides the sandbox stack.</summary>
    private sealed record Started(
        Action<WebApplicationBuilder> ConfigureWorker,
        OidcWorkspace? Issuer,
        StsEmulator? Sts,
        EntraEmulator? Entra,
        string? ClientId,
        string? Folder,
        int? IngressPort);
}
