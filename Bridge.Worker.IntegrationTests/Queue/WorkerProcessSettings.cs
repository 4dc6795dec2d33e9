using Bridge.Tests.Support;

namespace Bridge.Tests.Queue;

/// <summary>
/// <c>bridge run</c> arguments for a worker process on the test broker whose upstreams cannot be reached (port 1): it
/// starts, declares its queues and consumes, and an event it takes waits in its retry back-off instead of finishing.
/// </summary>
internal sealed class WorkerProcessSettings : IDisposable
{
    private readonly string routesFile = Path.Combine(Path.GetTempPath(), $"bridge-queue-test-{Guid.NewGuid():N}.yaml");

    public WorkerProcessSettings() => File.WriteAllText(routesFile, BridgeStack.DefaultRoutes);

    public string[] Run(Uri brokerUrl, string queue, params string[] more) =>
    [
        "run",
        $"--Bridge:Routing:File={routesFile}",
        "--Bridge:Prefect:ApiUrl=http://prefect.example.com:4200/api",
        "--Bridge:Bitbucket:ApiUrl=http://127.0.0.1:1/2.0",
        "--Bridge:Bitbucket:AccessToken=queue-test-token",
        $"--Bridge:Identity:Workspaces:acme:Uuid={SampleEvents.WorkspaceUuid}",
        "--Bridge:Identity:Workspaces:acme:DiscoveryUrl=http://127.0.0.1:1/oidc/.well-known/openid-configuration",
        "--Bridge:Identity:AllowInsecureHttp=true",
        $"--Bridge:Broker:Url={brokerUrl}",
        $"--Bridge:Broker:Queue={queue}",
        "--Bridge:Broker:StartTimeout=00:00:20",
        "--Bridge:Logging:Format=text",
        "--urls=http://127.0.0.1:0",
        .. more,
    ];

    public void Dispose() => File.Delete(routesFile);
}
