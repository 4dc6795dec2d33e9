using Bridge.Benchmarks.Workload;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Bridge.Benchmarks.Upstream;

/// <summary>
/// Prefect and Bitbucket (API and OIDC) on one loopback Kestrel port, answering the calls Bridge makes with fixed
/// bodies of the contracts' shapes and checking nothing (a schema check would measure itself): see
/// <see cref="UpstreamEndpoints"/>. Every call is counted in <see cref="Log"/>.
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    readonly WebApplication app;

    FakeUpstream(WebApplication app, CallLog log, RunEnds runEnds, string baseUrl)
    {
        this.app = app;
        Log = log;
        RunEnds = runEnds;
        BaseUrl = baseUrl;
    }

    public CallLog Log { get; }

    /// <summary>Ends the runs created while a completion phase is on, on the event stream.</summary>
    public RunEnds RunEnds { get; }

    public string BaseUrl { get; }

    /// <summary>Bridge:Bitbucket:ApiUrl.</summary>
    public string BitbucketApiUrl => BaseUrl + "/2.0";

    /// <summary>Bridge:Prefect:ApiUrl.</summary>
    public string PrefectApiUrl => BaseUrl + "/api";

    public string DiscoveryUrl =>
        $"{BitbucketApiUrl}/workspaces/{BenchWorkspace.Slug}/pipelines-config/identity/oidc/.well-known/openid-configuration";

    public static async Task<FakeUpstream> StartAsync(BenchWorkspace workspace)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseWebSockets();
        var log = new CallLog();
        var runEnds = new RunEnds();
        new UpstreamEndpoints(workspace, log, runEnds).Map(app);
        await app.StartAsync();
        var address = app.Urls.First();
        return new FakeUpstream(app, log, runEnds, address.TrimEnd('/'));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
