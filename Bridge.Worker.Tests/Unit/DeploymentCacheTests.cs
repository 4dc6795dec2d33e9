using Bridge.Worker.Prefect;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Unit;

public sealed class DeploymentCacheTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly DeploymentCache _cache;

    public DeploymentCacheTests() => _cache = new DeploymentCache(_time, Options.Create(new PrefectOptions()));

    [Fact]
    public async Task Concurrent_lookups_of_one_name_share_one_request_and_the_next_is_served_from_the_cache()
    {
        var lookups = 0;
        var answer = new TaskCompletionSource<PrefectDeployment>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = Enumerable.Range(0, 8)
            .Select(_ => _cache.GetOrLookUpAsync("release-flow/production", () => { Interlocked.Increment(ref lookups); return answer.Task; }, CancellationToken.None))
            .ToList();

        var deployment = new PrefectDeployment { Id = Guid.NewGuid(), Name = "production", FlowId = Guid.NewGuid() };
        answer.SetResult(deployment);

        Assert.All(await Task.WhenAll(waiting), found => Assert.Same(deployment, found));
        Assert.Same(deployment, await _cache.GetOrLookUpAsync("release-flow/production", () => throw new InvalidOperationException("not cached"), CancellationToken.None));
        Assert.Equal(1, lookups);
    }

    [Fact]
    public async Task A_failed_lookup_is_not_remembered()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _cache.GetOrLookUpAsync("ghost/nowhere", () => Task.FromException<PrefectDeployment>(new InvalidOperationException("no such deployment")), CancellationToken.None));

        var deployment = new PrefectDeployment { Id = Guid.NewGuid(), Name = "nowhere", FlowId = Guid.NewGuid() };
        Assert.Same(deployment, await _cache.GetOrLookUpAsync("ghost/nowhere", () => Task.FromResult(deployment), CancellationToken.None));
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cancel_the_lookup_for_the_others()
    {
        var answer = new TaskCompletionSource<PrefectDeployment>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var impatient = new CancellationTokenSource();
        var first = _cache.GetOrLookUpAsync("release-flow/production", () => answer.Task, impatient.Token);
        var second = _cache.GetOrLookUpAsync("release-flow/production", () => answer.Task, CancellationToken.None);

        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        var deployment = new PrefectDeployment { Id = Guid.NewGuid(), Name = "production", FlowId = Guid.NewGuid() };
        answer.SetResult(deployment);

        Assert.Same(deployment, await second);
    }
}
