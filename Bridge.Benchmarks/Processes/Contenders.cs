using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Bridge.Benchmarks.Floor;
using Bridge.Benchmarks.Upstream;
using Bridge.Benchmarks.Workload;
using Bridge.Tests.Infrastructure;

namespace Bridge.Benchmarks.Processes;

/// <summary>
/// How the two contenders start: the published worker (<c>bridge run</c> at its default settings, only the addresses,
/// the credential and the workspace set, by environment variables) and the queue floor (this program's <c>floor</c> verb).
/// </summary>
internal sealed class Contenders(BenchOptions options, RabbitMqBroker broker, FakeUpstream upstream, string queue, string folder)
{
    /// <summary>Bridge's defaults (Bridge:Broker:PrefetchCount and ConcurrentMessageLimit), which the floor uses too.</summary>
    public const ushort DefaultPrefetch = 16;
    public const ushort DefaultConcurrency = 8;

    const string Routes = """
        routes:
          - name: release
            match: { repository: "bench/*", events: [tag], ref: "v*" }
            deployment: bench-flow/production
            parameters:
              commit: "{{ commit }}"
              version: "{{ ref.name }}"
              build_number: "{{ buildNumber }}"
            tags: [release]
            statusName: "Release (Prefect)"
        """;

    static readonly string Host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
    readonly string accessToken = $"bench-{Guid.NewGuid():N}";
    int started;

    public ChildProcess StartWorker()
    {
        var routes = Path.Combine(folder, "routes.yaml");
        if (!File.Exists(routes))
        {
            File.WriteAllText(routes, Routes);
        }

        var http = new Uri($"http://127.0.0.1:{FreePort()}/");
        var environment = new Dictionary<string, string>
        {
            ["Bridge__Broker__Url"] = broker.AmqpUri.ToString(),
            ["Bridge__Broker__Queue"] = queue,
            ["Bridge__Prefect__ApiUrl"] = upstream.PrefectApiUrl,
            ["Bridge__Bitbucket__ApiUrl"] = upstream.BitbucketApiUrl,
            ["Bridge__Bitbucket__AccessToken"] = accessToken,

            // The fake upstream has no rate limit; Bitbucket's budget (900 an hour by default) would measure itself.
            ["Bridge__Bitbucket__RequestBudget"] = "0",
            [$"Bridge__Identity__Workspaces__{BenchWorkspace.Slug}__Uuid"] = BenchWorkspace.Uuid,
            [$"Bridge__Identity__Workspaces__{BenchWorkspace.Slug}__DiscoveryUrl"] = upstream.DiscoveryUrl,
            ["Bridge__Identity__AllowInsecureHttp"] = "true",
            ["ASPNETCORE_URLS"] = http.ToString(),
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        if (options.Concurrency is { } concurrency)
        {
            environment["Bridge__Broker__ConcurrentMessageLimit"] = Invariant(concurrency);
            environment["Bridge__Broker__PrefetchCount"] = Invariant(Prefetch);
        }

        var worker = ChildProcess.Start(LogFile("bridge"), environment, Host, options.Worker, "run", "--routes", routes);
        worker.HttpAddress = http;
        return worker;
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ChildProcess StartFloor()
    {
        var settings = new FloorSettings(broker.AmqpUri, queue, upstream.BaseUrl, Prefetch, Concurrency);
        var environment = new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Production" };
        return ChildProcess.Start(LogFile("floor"), environment, Host, [typeof(QueueFloor).Assembly.Location, "floor", .. settings.ToArguments()]);
    }

    /// <summary>Events at once and prefetch, the same for both: <c>--concurrency</c>, else Bridge's defaults.</summary>
    ushort Concurrency => (ushort)(options.Concurrency ?? DefaultConcurrency);

    ushort Prefetch => options.Concurrency is { } concurrency ? (ushort)(2 * concurrency) : DefaultPrefetch;

    static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    string LogFile(string name) =>
        Path.Combine(folder, $"{Interlocked.Increment(ref started).ToString("00", CultureInfo.InvariantCulture)}-{name}.log");
}
