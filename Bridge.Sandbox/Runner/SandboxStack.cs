using Bridge.Contracts;
using Bridge.Sandbox.Emulators;
using Bridge.Worker.Hosting;
using Bridge.Worker.Queue;
using MassTransit;

namespace Bridge.Sandbox.Runner;

/// <summary>
/// The real worker composition wired to the Prefect and Bitbucket emulators and a broker. The sandbox and the
/// end-to-end tests both run on it. The worker trusts the sample workspace (<see cref="SampleWorkspace"/>), whose
/// issuer and pipelines the Bitbucket emulator serves, so events issued by <see cref="SampleWorkspace.Issue"/> verify.
/// </summary>
internal sealed class SandboxStack : IAsyncDisposable
{
    private readonly string _routesFile;

    private SandboxStack(PrefectEmulator prefect, BitbucketEmulator bitbucket, WebApplication worker, string queue, string routesFile)
    {
        Prefect = prefect;
        Bitbucket = bitbucket;
        Worker = worker;
        Queue = queue;
        _routesFile = routesFile;
    }

    public PrefectEmulator Prefect { get; }

    public BitbucketEmulator Bitbucket { get; }

    public WebApplication Worker { get; }

    public string Queue { get; }

    /// <summary>Credentials the emulators demand and the worker sends; secrets that must never reach a log.</summary>
    public static readonly string PrefectApiKey = $"pnu_sandbox{Guid.NewGuid():N}";

    public static readonly string BitbucketAccessToken = $"ATCTT3xFfGN0sandbox{Guid.NewGuid():N}";

    public static async Task<SandboxStack> StartAsync(SandboxStackOptions options, CancellationToken cancellationToken)
    {
        var prefect = await PrefectEmulator.StartAsync(new PrefectEmulatorOptions { ApiKey = PrefectApiKey }, cancellationToken);
        var bitbucket = await BitbucketEmulator.StartAsync(
            new BitbucketEmulatorOptions { AccessToken = BitbucketAccessToken, Pipelines = SampleWorkspace.Pipelines }, cancellationToken);

        // The sample workspace's issuer (production issuer URL, served by this emulator as through a proxy) is trusted.
        bitbucket.Host(SampleWorkspace.Oidc);
        var routesFile = Path.Combine(Path.GetTempPath(), $"bridge-routes-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(routesFile, options.RoutesYaml, cancellationToken);
        var settings = new Dictionary<string, string?>
        {
            ["Bridge:Broker:Transport"] = options.Transport.ToString(),
            ["Bridge:Broker:Queue"] = options.Queue,
            ["Bridge:Routing:File"] = routesFile,
            ["Bridge:Prefect:ApiUrl"] = prefect.ApiUrl,
            ["Bridge:Prefect:ApiKey"] = PrefectApiKey,
            ["Bridge:Bitbucket:ApiUrl"] = bitbucket.ApiUrl,
            ["Bridge:Bitbucket:AccessToken"] = BitbucketAccessToken,
            [$"Bridge:Identity:Workspaces:{SampleWorkspace.Slug}:Uuid"] = SampleWorkspace.Uuid,
            [$"Bridge:Identity:Workspaces:{SampleWorkspace.Slug}:DiscoveryUrl"] =
                $"{bitbucket.ApiUrl}/workspaces/{SampleWorkspace.Slug}/pipelines-config/identity/oidc/.well-known/openid-configuration",
            ["Bridge:Identity:AllowInsecureHttp"] = "true",
            ["Bridge:Logging:Format"] = "text",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        if (options.BrokerUrl is not null)
        {
            settings["Bridge:Broker:Url"] = options.BrokerUrl;
        }

        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }

        var worker = BridgeWorkerHost.Build([], settings, builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            options.ConfigureWorker?.Invoke(builder);
        });
        try
        {
            await worker.StartAsync(cancellationToken);
        }
        catch
        {
            await worker.DisposeAsync();
            await prefect.DisposeAsync();
            await bitbucket.DisposeAsync();
            File.Delete(routesFile);
            throw;
        }

        return new SandboxStack(prefect, bitbucket, worker, options.Queue, routesFile);
    }

    /// <summary>
    /// Sends an event as a MassTransit envelope to the exchange bound to the worker's queue. (A <c>queue:</c> address
    /// would make MassTransit declare a classic queue, which RabbitMQ refuses over the existing quorum queue.)
    /// </summary>
    public async Task SendAsync(PipelineEvent message, CancellationToken cancellationToken)
    {
        var endpoint = await Worker.Services.GetRequiredService<ISendEndpointProvider>().GetSendEndpoint(new Uri($"exchange:{Queue}"));
        await endpoint.Send(message, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Worker.StopAsync(CancellationToken.None);
        await Worker.DisposeAsync();
        await Prefect.DisposeAsync();
        await Bitbucket.DisposeAsync();
        File.Delete(_routesFile);
    }
}
