using System.Net;
using Bridge.Sandbox.Emulators;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Bridge.Tests.Emulators;

public sealed class EmulatorClockAndStandaloneTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 31, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Prefect_timestamps_come_from_the_injected_clock()
    {
        await using var prefect = await PrefectEmulator.StartAsync(new PrefectEmulatorOptions { TimeProvider = new FakeTimeProvider(Noon) });
        var deployment = prefect.AddDeployment("etl", "prod");
        using var http = EmulatorHttp.Client(prefect.ApiUrl);

        using var response = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), "{}");

        var run = await response.ReadJsonAsync();
        Assert.Equal("2026-03-31T12:00:00.000000Z", run["created"]!.GetValue<string>());
        Assert.Equal("2026-03-31T12:00:00.000000Z", run["state"]!["timestamp"]!.GetValue<string>());
        Assert.Equal(Noon, Assert.Single(prefect.FlowRuns).Created);
    }

    [Fact]
    public async Task Bitbucket_timestamps_come_from_the_injected_clock()
    {
        await using var bitbucket = await BitbucketEmulator.StartAsync(new BitbucketEmulatorOptions { TimeProvider = new FakeTimeProvider(Noon) });
        using var http = EmulatorHttp.Client(bitbucket.ApiUrl);

        using var response = await http.PostJsonAsync(
            "repositories/acme/api/commit/abc/statuses/build", """{"key":"k","state":"SUCCESSFUL","url":"https://ci.example.com/1"}""");

        Assert.Equal("2026-03-31T12:00:00.000000+00:00", (await response.ReadJsonAsync())["created_on"]!.GetValue<string>());
        Assert.Equal(Noon, Assert.Single(bitbucket.Statuses).UpdatedOn);
    }

    [Fact]
    public async Task Standalone_emulators_serve_the_seeded_deployments_until_cancelled()
    {
        using var output = new FlushSignallingWriter();
        using var stop = new CancellationTokenSource();

        var running = StandaloneEmulators.RunStandaloneAsync(0, 0, stop.Token, output);
        await output.Flushed.WaitAsync(TimeSpan.FromSeconds(30));

        var lines = output.ToString().Split('\n');
        var prefectApi = lines.Single(l => l.StartsWith("Prefect API", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
        var bitbucketApi = lines.Single(l => l.StartsWith("Bitbucket API", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
        using var prefect = EmulatorHttp.Client(prefectApi);
        using var bitbucket = EmulatorHttp.Client(bitbucketApi);
        using var release = await prefect.GetAsync("deployments/name/bridge-demo/release");
        using var checks = await prefect.GetAsync("deployments/name/bridge-demo/merge-checks");
        using var statuses = await bitbucket.GetAsync("repositories/acme/api/commit/abc/statuses");

        Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        Assert.Equal(HttpStatusCode.OK, checks.StatusCode);
        Assert.Equal(HttpStatusCode.OK, statuses.StatusCode);
        Assert.False(running.IsCompleted);

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private sealed class FlushSignallingWriter : StringWriter
    {
        private readonly TaskCompletionSource flushed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Flushed => flushed.Task;

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            flushed.TrySetResult();
            return base.FlushAsync(cancellationToken);
        }
    }
}
