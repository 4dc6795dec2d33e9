using System.Text.Json;
using Bridge.Tests.Support;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Correlation;
using Bridge.Worker.Queue;
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
    private static readonly DateTimeOffset TenureBegan = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private readonly PrefectUiLinks _links = new(Options.Create(new PrefectOptions { ApiUrl = "https://prefect.example.com/api" }));
    private readonly StatusReporter _reporter;

    public StatusReporterTests()
    {
        var metrics = new BridgeMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var reported = new ReportedRuns(TimeProvider.System);
        reported.TenureBegan(TenureBegan);
        _reporter = new StatusReporter(
            _bitbucket.Object, _prefect.Object, _links, new InFlightRuns(), new StatusLedger(), reported, new PendingStatuses(),
            new StatusHandover(Options.Create(new BrokerOptions { Transport = BrokerTransport.InMemory })),
            new RequestBudget("bitbucket", 0, TimeSpan.FromHours(1), TimeProvider.System, metrics),
            metrics, NullLogger<StatusReporter>.Instance);
    }

    public void Dispose() => _services.Dispose();

    /// <summary>A run; a final one ended an hour into this replica's tenure unless <paramref name="ended"/> says otherwise.</summary>
    private static PrefectFlowRun Run(Guid id, string type, string name, string? reported = null, DateTimeOffset? ended = null)
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
            EndTime = PrefectStateTypes.IsTerminal(type) ? ended ?? TenureBegan.AddHours(1) : null,
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
    public async Task Final_status_is_posted_once_and_never_overwritten_without_writing_to_Prefect()
    {
        var id = Guid.NewGuid();

        Assert.True(await _reporter.ReportAsync(Run(id, "COMPLETED", "Completed"), ReportPath.Stream, CancellationToken.None));
        Assert.False(await _reporter.ReportAsync(Run(id, "COMPLETED", "Completed"), ReportPath.Poll, CancellationToken.None));
        Assert.False(await _reporter.ReportAsync(Run(id, "FAILED", "Failed"), ReportPath.Callback, CancellationToken.None));

        _bitbucket.Verify(
            b => b.PostBuildStatusAsync(It.IsAny<StatusTarget>(), It.Is<BitbucketBuildStatus>(s => s.State == "SUCCESSFUL"), It.IsAny<CancellationToken>()), Times.Once);
        _bitbucket.VerifyNoOtherCalls();
        _prefect.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Run_that_ended_before_this_tenure_is_not_posted_again_when_the_commit_shows_its_final_state()
    {
        var id = Guid.NewGuid();
        _bitbucket
            .Setup(b => b.GetBuildStatusAsync(It.IsAny<StatusTarget>(), "9f2c1a7e4b3d5f60718293a4b5c6d7e8f9012345", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PostedStatus("SUCCESSFUL", _links.FlowRun(id).ToString()));

        Assert.False(await _reporter.ReportAsync(Run(id, "COMPLETED", "Completed", ended: TenureBegan.AddMinutes(-1)), ReportPath.Poll, CancellationToken.None));
        Assert.False(await _reporter.ReportAsync(Run(id, "COMPLETED", "Completed", ended: TenureBegan.AddMinutes(-1)), ReportPath.Stream, CancellationToken.None));

        _bitbucket.Verify(b => b.GetBuildStatusAsync(It.IsAny<StatusTarget>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
        _bitbucket.VerifyNoOtherCalls();
        _prefect.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("INPROGRESS", true)]
    [InlineData("FAILED", true)]
    [InlineData("SUCCESSFUL", false)]
    public async Task Run_that_ended_before_this_tenure_is_posted_when_the_commit_shows_something_else(string shown, bool sameRun)
    {
        var id = Guid.NewGuid();
        _bitbucket
            .Setup(b => b.GetBuildStatusAsync(It.IsAny<StatusTarget>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PostedStatus(shown, _links.FlowRun(sameRun ? id : Guid.NewGuid()).ToString()));

        Assert.True(await _reporter.ReportAsync(Run(id, "COMPLETED", "Completed", ended: TenureBegan.AddSeconds(5)), ReportPath.Poll, CancellationToken.None));

        _bitbucket.Verify(
            b => b.PostBuildStatusAsync(It.IsAny<StatusTarget>(), It.Is<BitbucketBuildStatus>(s => s.State == "SUCCESSFUL"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Superseded_run_is_labelled_reported_for_the_replica_that_correlates()
    {
        var run = RunLabels.Read(Run(Guid.NewGuid(), "RUNNING", "Running"))!;

        Assert.True(await _reporter.ReportAsync(new StatusPost(run, StatusText.Superseded("709d658dc5b6d6af"), ReportPath.Superseded), CancellationToken.None));

        _bitbucket.Verify(b => b.GetBuildStatusAsync(It.IsAny<StatusTarget>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _prefect.Verify(p => p.UpdateFlowRunLabelsAsync(
            run.Id, It.Is<IReadOnlyDictionary<string, string>>(l => l[RunLabels.Reported] == "STOPPED"), It.IsAny<CancellationToken>()), Times.Once);
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
