using System.Text.Json;
using Bridge.Tests.Support;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Correlation;
using Bridge.Worker.Http;
using Bridge.Worker.Observability;
using Bridge.Worker.Prefect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace Bridge.Tests.Correlation;

public sealed class StatusReporterTests : IDisposable
{
    private readonly Mock<IBitbucketClient> _bitbucket = new();
    private readonly Mock<IPrefectClient> _prefect = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly StatusReporter _reporter;

    public StatusReporterTests()
    {
        var links = new PrefectUiLinks(Options.Create(new PrefectOptions { ApiUrl = "https://prefect.example.com/api" }));
        var metrics = new BridgeMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        _reporter = new StatusReporter(
            _bitbucket.Object, _prefect.Object, links, new InFlightRuns(), new StatusLedger(), new PendingStatuses(),
            new RequestBudget("bitbucket", 0, TimeSpan.FromHours(1), TimeProvider.System, metrics), metrics, NullLogger<StatusReporter>.Instance);
    }

    public void Dispose() => _services.Dispose();

    private static PrefectFlowRun Run(Guid id, string type, string name, string? reported = null)
    {
        var labels = new Dictionary<string, string>
        {
            ["bridge.workspace-uuid"] = "{922e118c-f34f-4226-a897-0e0afbec553d}",
            ["bridge.repository-uuid"] = "{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}",
            ["bridge.commit"] = "709d658dc5b6d6afcd46049c2f332ee3f515a67d",
            ["bridge.ref"] = "v1.4.0",
            ["bridge.status-key"] = "9f2c1a7e4b3d5f60718293a4b5c6d7e8f9012345",
            ["bridge.status-name"] = "Release (Prefect)",
        };
        if (reported is not null)
        {
            labels[RunLabels.Reported] = reported;
        }

        return new PrefectFlowRun
        {
            Id = id,
            Name = "crimson-fox",
            StateType = type,
            StateName = name,
            Tags = ["bridge", "bridge-route:release"],
            Labels = labels.ToDictionary(l => l.Key, l => JsonSerializer.SerializeToElement(l.Value)),
        };
    }

    [Fact]
    public async Task Unchanged_status_is_posted_once()
    {
        var id = Guid.NewGuid();

        Assert.True(await _reporter.ReportAsync(Run(id, "SCHEDULED", "Late"), ReportPath.Stream, CancellationToken.None));
        Assert.False(await _reporter.ReportAsync(Run(id, "SCHEDULED", "Late"), ReportPath.Poll, CancellationToken.None));
        Assert.False(await _reporter.ReportAsync(Run(id, "RUNNING", "Running"), ReportPath.Stream, CancellationToken.None));

        _bitbucket.Verify(b => b.PostBuildStatusAsync(It.IsAny<StatusTarget>(), It.IsAny<BitbucketBuildStatus>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Final_status_is_posted_once_labelled_and_never_overwritten()
    {
        var id = Guid.NewGuid();

        Assert.True(await _reporter.ReportAsync(Run(id, "COMPLETED", "Completed"), ReportPath.Stream, CancellationToken.None));
        Assert.False(await _reporter.ReportAsync(Run(id, "COMPLETED", "Completed"), ReportPath.Poll, CancellationToken.None));
        Assert.False(await _reporter.ReportAsync(Run(id, "FAILED", "Failed"), ReportPath.Callback, CancellationToken.None));

        _bitbucket.Verify(
            b => b.PostBuildStatusAsync(It.IsAny<StatusTarget>(), It.Is<BitbucketBuildStatus>(s => s.State == "SUCCESSFUL"), It.IsAny<CancellationToken>()), Times.Once);
        _bitbucket.VerifyNoOtherCalls();
        _prefect.Verify(p => p.UpdateFlowRunLabelsAsync(
            id, It.Is<IReadOnlyDictionary<string, string>>(l => l[RunLabels.Reported] == "SUCCESSFUL"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Run_labelled_as_reported_is_not_posted_again_after_a_restart()
    {
        Assert.False(await _reporter.ReportAsync(Run(Guid.NewGuid(), "COMPLETED", "Completed", reported: "SUCCESSFUL"), ReportPath.Poll, CancellationToken.None));

        _bitbucket.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Run_that_is_not_bridges_is_ignored()
    {
        var run = Run(Guid.NewGuid(), "COMPLETED", "Completed") with { Tags = ["nightly"] };

        Assert.False(await _reporter.ReportAsync(run, ReportPath.Poll, CancellationToken.None));
        _bitbucket.VerifyNoOtherCalls();
    }
}
