using System.Diagnostics;
using System.Globalization;
using Bridge.Sandbox.Emulators;
using Bridge.Sandbox.Emulators.Aws;
using System.Net;
using System.Net.Sockets;
using Bridge.Tests.Infrastructure;

namespace Bridge.Benchmarks.Faults;

/// <summary>
/// One scenario's world: fresh Prefect, Bitbucket and STS emulators in this process (the workspace's issuer hosted and
/// trusted by STS, one deployment, one role, Prefect's workers played by <see cref="RunDriver"/>), a queue of its own on
/// the shared private broker, and the <c>bridge run</c> replicas on it, with the emulators' addresses and random
/// credentials in their environment. The route exchanges each event's step token for AWS credentials.
/// </summary>
internal sealed class FaultStack : IAsyncDisposable
{
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(120);

    public const string Role = "arn:aws:iam::123456789012:role/faults-deploy";

    /// <summary>The watermark variable at Bridge's default <c>Bridge:Correlation:WatermarkVariable</c>.</summary>
    public const string WatermarkVariable = "bridge-watermark";

    const string Routes = $$$"""
        routes:
          - name: release
            match: { repository: "faults/*", events: [tag], ref: "v*" }
            deployment: faults-flow/production
            parameters:
              commit: "{{ commit }}"
              version: "{{ ref.name }}"
            tags: [release]
            statusName: "Release (Prefect)"
            credentials: { aws: { roleArn: "{{{Role}}}", durationSeconds: 900 } }
        """;

    readonly FaultContext context;
    readonly RunDriver driver;
    readonly string prefectKey = $"pnu_faults{Guid.NewGuid():N}";
    readonly string bitbucketToken = $"faults-{Guid.NewGuid():N}";
    readonly PipelineRegistry pipelines;
    readonly List<Replica> replicas = [];
    readonly string routesFile;
    int started;

    FaultStack(FaultContext context, string name, PrefectEmulator prefect, BitbucketEmulator bitbucket, StsEmulator sts, PipelineRegistry pipelines)
    {
        this.context = context;
        Name = name;
        Prefect = prefect;
        Bitbucket = bitbucket;
        Sts = sts;
        this.pipelines = pipelines;
        Queue = $"faults-{name}";
        driver = new RunDriver(prefect);
        routesFile = Path.Combine(context.Logs, $"{name}-routes.yaml");
        File.WriteAllText(routesFile, Routes);
    }

    public string Name { get; }

    public string Queue { get; }

    public PrefectEmulator Prefect { get; }

    public BitbucketEmulator Bitbucket { get; }

    public StsEmulator Sts { get; }

    public RabbitMqBroker Broker => context.Broker;

    public IReadOnlyList<Replica> Replicas => replicas;

    /// <summary>The replicas still running.</summary>
    public IEnumerable<Replica> Running => replicas.Where(r => !r.HasExited);

    /// <summary>The running replica whose last lease line says it correlates, or null.</summary>
    public Replica? Holder => Running.FirstOrDefault(r => r.HoldsLease);

    public static async Task<FaultStack> StartAsync(FaultContext context, string name)
    {
        var pipelines = new PipelineRegistry();
        var prefect = await PrefectEmulator.StartAsync(new PrefectEmulatorOptions());
        var bitbucket = await BitbucketEmulator.StartAsync(new BitbucketEmulatorOptions { Pipelines = pipelines });
        var sts = await StsEmulator.StartAsync();
        var stack = new FaultStack(context, name, prefect, bitbucket, sts, pipelines);
        var oidc = context.Workspace.Oidc;
        bitbucket.Host(oidc);
        sts.TrustProvider(oidc.Issuer, oidc.Jwks);
        sts.AddRole(new StsRole { Arn = Role, Issuer = oidc.Issuer, Audience = oidc.DefaultAudience, SubjectPattern = FaultWorkspace.RepositoryUuid + ":*" });
        prefect.AddDeployment("faults-flow", "production");
        return stack;
    }

    public IReadOnlyList<IssuedEvent> Issue(int count) => context.Workspace.Issue(count, pipelines);

    /// <summary>Records the event's pipeline, so that the commit check would pass for it (forged tokens rely on the signature alone).</summary>
    public void RecordPipeline(PipelineRecord pipeline) => pipelines.Add(pipeline);

    /// <summary>Starts <paramref name="count"/> replicas and waits until each consumes the queue and one holds the lease.</summary>
    public async Task StartReplicasAsync(int count, params string[] settings)
    {
        for (var i = 0; i < count; i++)
        {
            StartReplica(settings);
        }

        await WaitAsync(async () => await Broker.ConsumerCountAsync(Queue) >= count && Holder is not null, StartDeadline,
            $"{count} replica(s) consume {Queue} and one correlates");
    }

    /// <summary>Starts one more replica (e.g. in place of a killed one) and returns at once.</summary>
    public Replica StartReplica(params string[] settings)
    {
        var n = Interlocked.Increment(ref started);
        var name = string.Create(CultureInfo.InvariantCulture, $"{Name}-r{n}");
        var environment = new Dictionary<string, string>
        {
            ["Bridge__Broker__Url"] = Broker.AmqpUri.ToString(),
            ["Bridge__Broker__Queue"] = Queue,
            ["Bridge__Prefect__ApiUrl"] = Prefect.ApiUrl,
            ["Bridge__Bitbucket__ApiUrl"] = Bitbucket.ApiUrl,
            ["Bridge__Bitbucket__AccessToken"] = bitbucketToken,
            ["Bridge__Credentials__Aws__ServiceUrl"] = Sts.ServiceUrl,

            // The emulator has no rate limit, and 2,000 events need more than the default budget's 900 requests an hour.
            ["Bridge__Bitbucket__RequestBudget"] = "0",
            [$"Bridge__Identity__Workspaces__{FaultWorkspace.Slug}__Uuid"] = FaultWorkspace.Uuid,
            [$"Bridge__Identity__Workspaces__{FaultWorkspace.Slug}__DiscoveryUrl"] =
                $"{Bitbucket.IssuerUrl(FaultWorkspace.Slug)}/.well-known/openid-configuration",
            ["Bridge__Identity__AllowInsecureHttp"] = "true",
            ["Bridge__Logging__Format"] = "text",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        if (context.Options.PollIntervalSeconds is { } poll)
        {
            environment["Bridge__Correlation__PollInterval"] = TimeSpan.FromSeconds(poll).ToString("c", CultureInfo.InvariantCulture);
        }

        var replica = Replica.Start(
            name, context.Options.Worker, Path.Combine(context.Logs, $"{name}.log"), FreePort(), environment,
            ["run", "--routes", routesFile, .. settings]);
        replicas.Add(replica);
        return replica;
    }

    /// <summary>Waits for <paramref name="condition"/>, failing at once with a replica's log should every replica exit.</summary>
    public async Task WaitAsync(Func<Task<bool>> condition, TimeSpan deadline, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"{Name}: timed out after {deadline.TotalSeconds:0} s waiting until {what} (logs in {context.Logs}).");
            }

            if (replicas.Count > 0 && replicas.All(r => r.HasExited))
            {
                throw new InvalidOperationException($"{Name}: every replica exited before {what} (logs in {context.Logs}).");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>
    /// Waits until every event has a flow run that ended and its final status is on its commit, nothing was posted for
    /// three seconds and the queue is empty, or <see cref="FaultOptions.SettleDeadline"/>; then reads the outcome.
    /// </summary>
    public async Task<Outcome> SettleAsync(IReadOnlyList<IssuedEvent> events)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < context.Options.SettleDeadline)
        {
            var outcome = await OutcomeAsync(events);
            if (outcome.Settled && DateTimeOffset.UtcNow - LastPost() > TimeSpan.FromSeconds(3))
            {
                return outcome;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        await context.Progress.WriteLineAsync($"{Name}: not settled after {context.Options.SettleDeadline.TotalSeconds:0} s; the figures are as they stand");
        return await OutcomeAsync(events);
    }

    public async Task<Outcome> OutcomeAsync(IReadOnlyList<IssuedEvent> events) => Outcome.Of(
        events, Prefect.FlowRuns, Bitbucket.Statuses, Bitbucket.PostCalls, Prefect.VariableWrites(WatermarkVariable),
        await Broker.MessageCountAsync(Queue), await Broker.MessageCountAsync(Queue + "_error"), await Broker.MessageCountAsync(Queue + "_skipped"));

    /// <summary>A loopback port free now (bound to port 0 and released).</summary>
    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    DateTimeOffset LastPost() => Bitbucket.PostCalls is { Count: > 0 } posts ? posts[^1].At : DateTimeOffset.MinValue;

    public async ValueTask DisposeAsync()
    {
        driver.Dispose();
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }

        await Prefect.DisposeAsync();
        await Bitbucket.DisposeAsync();
        await Sts.DisposeAsync();
        foreach (var queue in new[] { Queue, Queue + "_error", Queue + "_skipped", Queue + "_correlator", Queue + "_statuses" })
        {
            try
            {
                await Broker.DeleteQueueAsync(queue);
            }
            catch (Exception e) when (e is RabbitMQ.Client.Exceptions.OperationInterruptedException or RabbitMQ.Client.Exceptions.BrokerUnreachableException)
            {
                // Left for the broker's end.
            }
        }
    }
}
