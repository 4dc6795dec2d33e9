using Bridge.Sandbox.Emulators;
using Bridge.Tests.Infrastructure;
using Bridge.Worker.Cli;

namespace Bridge.Tests.Doctor;

/// <summary>
/// What <c>bridge doctor</c> looks at: the test broker, a Prefect emulator with the routed deployments and an ONLINE worker
/// in their pool, a Bitbucket emulator with one pipeline in <see cref="Repository"/> and the <c>acme</c> OIDC issuer, and
/// <c>bridge run</c> arguments for all of them. A test breaks one part and runs the doctor in-process.
/// </summary>
internal sealed class DoctorStack : IAsyncDisposable
{
    public const string Repository = "acme/doctor-api";

    public const string Routes = """
        routes:
          - name: release
            match: { repository: "acme/*", events: [tag], ref: "v*" }
            deployment: release-flow/production
          - name: checks
            match: { repository: "acme/*", events: [merge], ref: main }
            deployment: checks-flow/default
        """;

    private readonly string routesFile = Path.Combine(Path.GetTempPath(), $"bridge-doctor-{Guid.NewGuid():N}.yaml");
    private readonly RabbitMqBroker broker;

    private DoctorStack(RabbitMqBroker broker, PrefectEmulator prefect, BitbucketEmulator bitbucket, string prefectKey, string bitbucketToken)
    {
        this.broker = broker;
        Prefect = prefect;
        Bitbucket = bitbucket;
        PrefectKey = prefectKey;
        BitbucketToken = bitbucketToken;
        File.WriteAllText(routesFile, Routes);
    }

    public PrefectEmulator Prefect { get; }

    public BitbucketEmulator Bitbucket { get; }

    public string PrefectKey { get; }

    public string BitbucketToken { get; }

    public string Queue { get; } = $"doctor-{Guid.NewGuid():N}";

    public static async Task<DoctorStack> StartAsync(RabbitMqBroker broker)
    {
        var prefectKey = $"pnu_doctor{Guid.NewGuid():N}";
        var bitbucketToken = $"ATCTTdoctor{Guid.NewGuid():N}";
        var prefect = await PrefectEmulator.StartAsync(new PrefectEmulatorOptions { ApiKey = prefectKey });
        var bitbucket = await BitbucketEmulator.StartAsync(new BitbucketEmulatorOptions { AccessToken = bitbucketToken, Pipelines = new PipelineRegistry() });
        prefect.AddDeployment("release-flow", "production");
        prefect.AddDeployment("checks-flow", "default");
        prefect.AddWorker("emulator-pool");
        bitbucket.Host(SampleWorkspace.Oidc);
        bitbucket.AddPipeline(new PipelineRecord
        {
            WorkspaceSlug = SampleWorkspace.Slug,
            WorkspaceUuid = SampleWorkspace.Uuid,
            RepositoryFullName = Repository,
            RepositoryUuid = $"{{{Guid.NewGuid()}}}",
            PipelineUuid = $"{{{Guid.NewGuid()}}}",
            RefType = "tag",
            RefName = "v1.0.0",
            Commit = new string('a', 40),
        });
        return new DoctorStack(broker, prefect, bitbucket, prefectKey, bitbucketToken);
    }

    /// <summary>The settings <c>bridge run</c> would get, then <paramref name="changes"/> (later ones win).</summary>
    public string[] Settings(params string[] changes) =>
    [
        $"--Bridge:Routing:File={routesFile}",
        $"--Bridge:Broker:Url={broker.AmqpUri}",
        $"--Bridge:Broker:Queue={Queue}",
        $"--Bridge:Prefect:ApiUrl={Prefect.ApiUrl}",
        $"--Bridge:Prefect:ApiKey={PrefectKey}",
        $"--Bridge:Bitbucket:ApiUrl={Bitbucket.ApiUrl}",
        $"--Bridge:Bitbucket:AccessToken={BitbucketToken}",
        $"--Bridge:Identity:Workspaces:{SampleWorkspace.Slug}:Uuid={SampleWorkspace.Uuid}",
        $"--Bridge:Identity:Workspaces:{SampleWorkspace.Slug}:DiscoveryUrl={Bitbucket.IssuerUrl(SampleWorkspace.Slug)}/.well-known/openid-configuration",
        "--Bridge:Identity:AllowInsecureHttp=true",
        .. changes,
    ];

    /// <summary>Runs <c>bridge doctor</c> in-process with --repository <see cref="Repository"/>.</summary>
    public async Task<(int Exit, string Output, string Error)> DoctorAsync(params string[] changes)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await DoctorCommand.RunAsync(Settings(changes), Repository, TimeSpan.FromSeconds(20), output, error, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        File.Delete(routesFile);
        await Prefect.DisposeAsync();
        await Bitbucket.DisposeAsync();
    }
}
