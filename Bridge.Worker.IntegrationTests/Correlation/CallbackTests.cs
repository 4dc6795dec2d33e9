using System.Net;
using System.Text;
using Bridge.Sandbox.Emulators;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Correlation;

namespace Bridge.Tests.Correlation;

[Collection(BrokerCollection.Name)]
public sealed class CallbackTests(RabbitMqBrokerFixture fixture)
{
    private const string Secret = "callback-secret-0123456789abcdef";

    [Fact]
    public async Task Automation_callback_with_the_shared_secret_reports_the_run_and_one_without_it_is_refused()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).FollowingOutcomes()
            .With<CorrelationOptions>(o => (o.EventStream, o.CallbackSecret) = (false, Secret))
            .StartAsync();
        var message = SampleEvents.Tag("v7.0.0");
        await stack.SendAsync(message, CancellationToken.None);
        await stack.WaitForInProgressAsync(message);
        var run = stack.RunOf(message);
        stack.Prefect.SetState(run.Id, StateTypes.Completed);
        using var http = new HttpClient { BaseAddress = new Uri(stack.Worker.Urls.First()) };
        var body = $$"""{"flow_run_id": "{{run.Id}}", "state_type": "COMPLETED"}""";

        using var refused = await http.PostAsync("/v1/prefect/flow-run-events", new StringContent(body, Encoding.UTF8, "application/json"));
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/v1/prefect/flow-run-events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        wrong.Headers.Add("X-Bridge-Secret", "not-the-secret-at-all-0123456789");
        using var refusedAgain = await http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refusedAgain.StatusCode);
        Assert.Equal("INPROGRESS", stack.StatusOf(run)!.State);

        using var accepted = new HttpRequestMessage(HttpMethod.Post, "/v1/prefect/flow-run-events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        accepted.Headers.Add("X-Bridge-Secret", Secret);
        using var answer = await http.SendAsync(accepted);

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal("SUCCESSFUL", stack.StatusOf(run)!.State);
        Assert.StartsWith("Completed", stack.StatusOf(run)!.Description, StringComparison.Ordinal);
    }
}
