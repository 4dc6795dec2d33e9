using System.Net;
using Bridge.Sandbox.Emulators;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Tests.Stacks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SandboxStack = Bridge.Sandbox.Runner.SandboxStack;

namespace Bridge.Tests.EndToEnd;

/// <summary><c>/health/ready</c> says whether the worker can work: not while an upstream refuses Bridge's credentials.</summary>
[Collection(BrokerCollection.Name)]
public sealed class ReadinessTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Not_ready_while_bitbucket_refuses_the_credential_and_ready_again_once_it_accepts_it()
    {
        await using var stack = await BridgeStack.On(fixture.Broker).StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(stack.Worker.Urls.First()) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        stack.Bitbucket.FailNext(BitbucketEndpoints.PostBuildStatus, 1, 401);
        await stack.SendAsync(SampleEvents.Tag("v1.0.0"), CancellationToken.None);
        Assert.Single(await DeadLetters.TakeAsync(fixture.Broker, stack.Queue));
        using var refused = await http.GetAsync("/health/ready");
        var body = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("Unhealthy", body);
        var check = stack.Worker.Services.GetRequiredService<HealthCheckService>();
        var report = await check.CheckHealthAsync(r => r.Name == "upstream-credentials");
        var description = report.Entries["upstream-credentials"].Description ?? string.Empty;
        Assert.Contains("Bitbucket refused Bridge's credentials (HTTP 401)", description, StringComparison.Ordinal);
        Assert.Contains("check Bridge:Bitbucket:AccessToken", description, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxStack.BitbucketAccessToken, description, StringComparison.Ordinal);

        await stack.SendAsync(SampleEvents.Tag("v1.0.1"), CancellationToken.None);
        await stack.WaitForAcceptedStatusesAsync();

        // The emulator records the post before the worker has read the answer.
        await Eventually.WaitAsync(
            async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, BridgeStack.Deadline, "ready after Bitbucket accepted a post");
    }
}
