using Bridge.Sandbox.Emulators;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Correlation;
using Bridge.Tests.Support;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Correlation;
using Bridge.Worker.Prefect;
using Bridge.Worker.Queue;

namespace Bridge.Tests.EndToEnd;

/// <summary>Prefect or Bitbucket briefly unavailable: the HTTP client's retries, then MassTransit's, absorb it.</summary>
[Collection(BrokerCollection.Name)]
public sealed class TransientFaultTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Prefect_unavailable_twice_still_yields_one_flow_run_and_one_status()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).StartAsync();
        stack.Prefect.FailNext(PrefectEndpoints.CreateFlowRun, 2, 503);

        await stack.SendAsync(SampleEvents.Tag("v1.0.0"), CancellationToken.None);
        await stack.WaitForAcceptedStatusesAsync();

        Assert.Equal([503, 503, 201], stack.Prefect.CreateFlowRunCalls.Select(c => c.StatusCode));
        var run = Assert.Single(stack.Prefect.FlowRuns);
        Assert.Equal(stack.Prefect.FlowRunUiUrl(run.Id), Assert.Single(stack.Bitbucket.Statuses).Url);
        Assert.Single(stack.Bitbucket.PostCalls);
        Assert.Equal(0u, await fixture.Broker.MessageCountAsync(DeadLetters.ErrorQueue(stack.Queue)));
    }

    [Fact]
    public async Task Prefect_unavailable_twice_with_retry_after_is_waited_out_into_one_flow_run_and_one_status()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).StartAsync();
        stack.Prefect.FailNext(PrefectEndpoints.CreateFlowRun, 2, 503, retryAfter: TimeSpan.FromSeconds(1));

        await stack.SendAsync(SampleEvents.Tag("v1.0.1"), CancellationToken.None);
        await stack.WaitForAcceptedStatusesAsync();

        var calls = stack.Prefect.CreateFlowRunCalls;
        Assert.Equal([503, 503, 201], calls.Select(c => c.StatusCode));
        // The back-off alone is ~20 ms here: gaps of a second mean Retry-After was honoured.
        Assert.All(calls.Zip(calls.Skip(1)), pair => Assert.True(
            pair.Second.At - pair.First.At >= TimeSpan.FromMilliseconds(900),
            $"the retry came {(pair.Second.At - pair.First.At).TotalMilliseconds:0} ms after a 503 asking for 1 s"));
        Assert.Single(stack.Prefect.FlowRuns);
        Assert.Single(stack.Bitbucket.PostCalls);
        Assert.Equal(0u, await fixture.Broker.MessageCountAsync(DeadLetters.ErrorQueue(stack.Queue)));
    }

    [Fact]
    public async Task Bitbucket_unavailable_beyond_http_retries_is_retried_by_the_lease_holder_into_one_flow_run_and_one_status()
    {
        // One HTTP retry: the dispatch's one attempt fails and hands the INPROGRESS to the lease holder (this process),
        // whose two attempts fail too; the handed-over status goes back to its queue and the next delivery posts it. The
        // event itself was acknowledged once its run existed: no redelivery, no second create_flow_run.
        await using var stack = await BridgeStack.On(fixture.Broker).With<BitbucketOptions>(o => o.MaxRetries = 1).StartAsync();
        stack.Bitbucket.FailNext(BitbucketEndpoints.PostBuildStatus, 3, 503);

        await stack.SendAsync(SampleEvents.Tag("v1.0.2"), CancellationToken.None);
        await stack.WaitForAcceptedStatusesAsync();

        Assert.Equal([503, 503, 503, 201], stack.Bitbucket.PostCalls.Select(c => c.StatusCode));
        Assert.Equal([201], stack.Prefect.CreateFlowRunCalls.Select(c => c.StatusCode));
        var run = Assert.Single(stack.Prefect.FlowRuns);
        var status = Assert.Single(stack.Bitbucket.Statuses);
        Assert.Equal("INPROGRESS", status.State);
        Assert.Equal(stack.Prefect.FlowRunUiUrl(run.Id), status.Url);
        Assert.Equal(0u, await fixture.Broker.MessageCountAsync(DeadLetters.ErrorQueue(stack.Queue)));
    }

    [Fact]
    public async Task An_inprogress_bitbucket_never_takes_is_given_up_after_its_attempts_and_its_event_is_not_dead_lettered()
    {
        // The run exists, so the event is done; only its INPROGRESS waits for Bitbucket. The lease holder tries it
        // StatusHandover.Attempts times (two HTTP attempts each) and gives it up; the final status does not depend on it.
        var logs = new CapturingLoggerProvider();
        await using var stack = await BridgeStack.On(fixture.Broker).With<BitbucketOptions>(o => o.MaxRetries = 1).WithLogs(logs).StartAsync();
        stack.Bitbucket.FailNext(BitbucketEndpoints.PostBuildStatus, 100, 503);

        await stack.SendAsync(SampleEvents.Tag("v1.0.3"), CancellationToken.None);
        await Eventually.WaitAsync(
            () => Task.FromResult(logs.Entries.Any(e => e.Message.Contains("handed-over INPROGRESS could not be posted, given up", StringComparison.Ordinal))),
            OutcomeWaits.Deadline,
            "the handed-over INPROGRESS was given up");

        Assert.Equal(1 + (2 * StatusHandover.Attempts), stack.Bitbucket.PostCalls.Count);
        Assert.Equal([201], stack.Prefect.CreateFlowRunCalls.Select(c => c.StatusCode));
        Assert.Single(stack.Prefect.FlowRuns);
        Assert.Empty(stack.Bitbucket.Statuses);
        Assert.Equal(0u, await fixture.Broker.MessageCountAsync(DeadLetters.ErrorQueue(stack.Queue)));
    }

    [Fact]
    public async Task Prefect_that_cuts_every_answer_dead_letters_the_event_as_prefect_unavailable_after_the_retries()
    {
        // Each create_flow_run is served and its connection cut: the client sees no answer (HttpRequestException), retries,
        // and the consumer retries the message (RetryLimit 2, BridgeStack.Builder) before _error. The reason names Prefect,
        // not "unexpected", so `bridge redrive --reason prefect-unavailable` finds it once Prefect answers again.
        await using var stack = await BridgeStack.On(fixture.Broker).With<PrefectOptions>(o => o.MaxRetries = 1).StartAsync();
        stack.Prefect.DropResponseNext(PrefectEndpoints.CreateFlowRun, 100);

        await stack.SendAsync(SampleEvents.Tag("v1.0.4"), CancellationToken.None);
        var dead = Assert.Single(await DeadLetters.TakeAsync(fixture.Broker, stack.Queue));

        Assert.Equal("prefect-unavailable", Assert.IsType<string>(dead.Headers[FailureReasonHeaderFilter.FailureReasonHeader]));
        Assert.Equal(6, stack.Prefect.CallCount(PrefectEndpoints.CreateFlowRun));
        Assert.Empty(stack.Bitbucket.PostCalls);
    }
}
