using System.Collections.Concurrent;
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
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Bridge.Tests.Correlation;

/// <summary>Bitbucket's budget on a clock the test moves: posts wait and coalesce, and every final status arrives within it.</summary>
public sealed class StatusBudgetTests : IDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ConcurrentQueue<(DateTimeOffset At, string Commit, string State, string Description)> _posts = new();
    private readonly BridgeMetrics _metrics;

    public StatusBudgetTests() => _metrics = new BridgeMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_request_over_the_budget_waits_for_the_oldest_to_leave_the_rolling_window()
    {
        var budget = new RequestBudget("bitbucket", 3, Hour, _time, _metrics);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await budget.WaitAsync(null, CancellationToken.None));
            _time.Advance(TimeSpan.FromMinutes(10));
        }

        Assert.False(await budget.WaitAsync(TimeSpan.FromMinutes(29), CancellationToken.None));
        var fourth = budget.WaitAsync(null, CancellationToken.None).AsTask();
        Assert.False(fourth.IsCompleted);

        _time.Advance(TimeSpan.FromMinutes(30)); // the first request, sent at 9:00, leaves the window at 10:00
        Assert.True(await fourth.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(3, budget.Used);
    }

    [Fact]
    public async Task An_inprogress_waiting_for_the_budget_gives_way_to_the_final_status_of_the_same_key()
    {
        var reporter = Reporter(limit: 1);
        Assert.True(await reporter.ReportAsync(Post(0, BuildState.InProgress, "Scheduled", ReportPath.Dispatch), CancellationToken.None));

        var running = reporter.ReportAsync(Post(1, BuildState.InProgress, "Running", ReportPath.Stream), CancellationToken.None);
        var final = reporter.ReportAsync(Post(1, BuildState.Successful, "Completed", ReportPath.Stream), CancellationToken.None);
        Assert.False(await running.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(final.IsCompleted);
        _time.Advance(Hour);

        Assert.True(await final.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal([BuildState.InProgress, BuildState.Successful], _posts.Select(p => p.State));
    }

    [Fact]
    public async Task A_waiting_final_status_is_not_replaced_by_a_late_inprogress()
    {
        var reporter = Reporter(limit: 1);
        Assert.True(await reporter.ReportAsync(Post(0, BuildState.InProgress, "Scheduled", ReportPath.Dispatch), CancellationToken.None));

        var final = reporter.ReportAsync(Post(1, BuildState.Failed, "Failed", ReportPath.Poll), CancellationToken.None);
        Assert.False(await reporter.ReportAsync(Post(1, BuildState.InProgress, "Scheduled", ReportPath.Dispatch), CancellationToken.None));
        _time.Advance(Hour);

        Assert.True(await final.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal([BuildState.InProgress, BuildState.Failed], _posts.Select(p => p.State));
    }

    [Fact]
    public async Task Dispatch_gives_up_its_inprogress_rather_than_hold_the_message_past_the_longest_wait()
    {
        var reporter = Reporter(limit: 1);
        Assert.True(await reporter.ReportAsync(Post(0, BuildState.InProgress, "Scheduled", ReportPath.Dispatch), CancellationToken.None));

        Assert.False(await reporter.ReportAsync(Post(1, BuildState.InProgress, "Scheduled", ReportPath.Dispatch), CancellationToken.None));
        Assert.Single(_posts);
    }

    [Fact]
    public async Task A_burst_of_3000_status_changes_stays_within_the_budget_and_every_final_status_arrives()
    {
        const int Runs = 1_000;
        const int Limit = 300;
        var (reporter, budget) = Budgeted(limit: Limit);

        // Each run: scheduled, running, then its end; all at once, as a storm of finished runs would come.
        var reports = new List<Task<bool>>();
        for (var run = 0; run < Runs; run++)
        {
            reports.Add(reporter.ReportAsync(Post(run, BuildState.InProgress, "Scheduled", ReportPath.Dispatch), CancellationToken.None));
            reports.Add(reporter.ReportAsync(Post(run, BuildState.InProgress, "Running", ReportPath.Stream), CancellationToken.None));
            reports.Add(reporter.ReportAsync(Post(run, run % 2 == 0 ? BuildState.Successful : BuildState.Failed, "Ended", ReportPath.Stream), CancellationToken.None));
        }

        // The clock moves an hour at a time, and only once every report still running waits for the budget again: none is
        // between its slot and its post, so each post is recorded at the time of its slot.
        Task WaitForBudgetAsync() => Eventually.WaitAsync(
            () => Task.FromResult(budget.Waiting == reports.Count(r => !r.IsCompleted)), TimeSpan.FromSeconds(30), "every running report waits for the budget");
        await WaitForBudgetAsync();
        for (var hours = 1; reports.Any(r => !r.IsCompleted); hours++)
        {
            Assert.True(hours <= 20, $"the burst drained within 20 hours ({reports.Count(r => r.IsCompleted)} of {reports.Count} returned, {_posts.Count} posts)");
            var posted = _posts.Count;
            _time.Advance(Hour);
            await Eventually.WaitAsync(
                () => Task.FromResult(_posts.Count > posted || reports.All(r => r.IsCompleted)), TimeSpan.FromSeconds(30), "posts went through once an hour passed");
            await WaitForBudgetAsync();
        }

        var posts = _posts.ToList();
        Assert.All(Enumerable.Range(0, Runs), run =>
            Assert.Single(posts, p => p.Commit == Commit(run) && p.State != BuildState.InProgress));
        Assert.True(posts.Count < 3 * Runs, $"coalesced: {posts.Count} posts for {3 * Runs} changes");
        var times = posts.Select(p => p.At).Order().ToList();
        var busiest = times.Select((at, i) => times.Skip(i).TakeWhile(t => t - at < Hour).Count()).Max();
        Assert.True(busiest <= Limit, $"{busiest} posts in one rolling hour, over the budget of {Limit}");
    }

    private StatusReporter Reporter(int limit) => Budgeted(limit).Reporter;

    private (StatusReporter Reporter, RequestBudget Budget) Budgeted(int limit)
    {
        var bitbucket = new Mock<IBitbucketClient>();
        bitbucket
            .Setup(b => b.PostBuildStatusAsync(It.IsAny<StatusTarget>(), It.IsAny<BitbucketBuildStatus>(), It.IsAny<CancellationToken>()))
            .Returns((StatusTarget target, BitbucketBuildStatus status, CancellationToken _) =>
            {
                _posts.Enqueue((_time.GetUtcNow(), target.Commit, status.State, status.Description ?? string.Empty));
                return Task.CompletedTask;
            });
        var links = new PrefectUiLinks(Options.Create(new PrefectOptions { ApiUrl = "https://prefect.example.com/api" }));
        var budget = new RequestBudget("bitbucket", limit, Hour, _time, _metrics);
        var reported = new ReportedRuns(_time);
        reported.TenureBegan(DateTimeOffset.MinValue);
        return (new StatusReporter(
            new BudgetedBitbucket(bitbucket.Object, budget), Mock.Of<IPrefectClient>(), links, new InFlightRuns(), new StatusLedger(), reported, new PendingStatuses(),
            new StatusHandover(Options.Create(new BrokerOptions { Transport = BrokerTransport.InMemory })),
            budget, _metrics, NullLogger<StatusReporter>.Instance), budget);
    }

    private static StatusPost Post(int run, string state, string description, ReportPath path) =>
        new(new CorrelatedRun(RunId(run), "run", new StatusTarget("{w}", "{r}", Commit(run)), "key", "Release (Prefect)", "v1"), new StatusUpdate(state, description), path)
        {
            EndedAt = DateTimeOffset.UnixEpoch, // after the tenure began: nothing to check on the commit
        };

    private static Guid RunId(int run) => new(run, 0, 0, new byte[8]);

    private static string Commit(int run) => run.ToString("x40", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The client as the worker has it (its budget handler): each request takes a slot unless the reporter paid for it.</summary>
    private sealed class BudgetedBitbucket(IBitbucketClient inner, RequestBudget budget) : IBitbucketClient
    {
        public async Task PostBuildStatusAsync(StatusTarget target, BitbucketBuildStatus status, CancellationToken cancellationToken)
        {
            await budget.TakeSlotAsync(cancellationToken);
            await inner.PostBuildStatusAsync(target, status, cancellationToken);
        }

        public Task<PostedStatus?> GetBuildStatusAsync(StatusTarget target, string key, CancellationToken cancellationToken) =>
            inner.GetBuildStatusAsync(target, key, cancellationToken);

        public Task<BitbucketPipeline?> GetPipelineAsync(string workspaceUuid, string repositoryUuid, string pipelineUuid, CancellationToken cancellationToken) =>
            inner.GetPipelineAsync(workspaceUuid, repositoryUuid, pipelineUuid, cancellationToken);

        public Task<string?> GetFullCommitHashAsync(string workspace, string repository, string commit, CancellationToken cancellationToken) =>
            inner.GetFullCommitHashAsync(workspace, repository, commit, cancellationToken);

        public Task<BitbucketPage?> GetNewestPipelinesAsync(string workspace, string repository, CancellationToken cancellationToken) =>
            inner.GetNewestPipelinesAsync(workspace, repository, cancellationToken);

        public Task<int?> CountStatusesAsync(string workspace, string repository, string commit, CancellationToken cancellationToken) =>
            inner.CountStatusesAsync(workspace, repository, commit, cancellationToken);
    }
}
