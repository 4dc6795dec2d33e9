using Bridge.Contracts;
using Bridge.Sandbox.Emulators;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Microsoft.Extensions.Logging;
using SandboxStack = Bridge.Sandbox.Runner.SandboxStack;

namespace Bridge.Tests.EndToEnd;

/// <summary>OIDC tokens and the worker's credentials never reach a log line or a dead letter's headers.</summary>
[Collection(BrokerCollection.Name)]
public sealed class SecretsTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Tokens_and_credentials_never_reach_logs_or_fault_headers()
    {
        var logs = new CapturingLoggerProvider();
        await using var stack = await BridgeStack.On(fixture.Broker).WithLogs(logs).StartAsync();
        var events = new List<PipelineEvent>();
        var deadLetters = new List<DeadLetter>();

        // A tag event that succeeds.
        var succeeding = await SendAsync(SampleEvents.Tag("v1.0.0"));
        await stack.WaitForAcceptedStatusesAsync();

        // An invalid event (its token is well-formed: only the commit is wrong).
        await SendAsync(SampleEvents.Tag("v1.0.1") with { Commit = "abc" });
        deadLetters.Add(await TakeDeadLetterAsync("commit:"));

        // Prefect refuses the worker's API key.
        stack.Prefect.FailNext(PrefectEndpoints.CreateFlowRun, 1, 401);
        await SendAsync(SampleEvents.Tag("v1.0.2"));
        deadLetters.Add(await TakeDeadLetterAsync("Prefect refused Bridge's credentials"));

        // Bitbucket refuses the worker's access token.
        stack.Bitbucket.FailNext(BitbucketEndpoints.PostBuildStatus, 1, 401);
        await SendAsync(SampleEvents.Tag("v1.0.3"));
        deadLetters.Add(await TakeDeadLetterAsync("Bitbucket refused Bridge's credential"));

        // The capture works: lines at every level, with their state, scopes and exceptions.
        var entries = logs.Entries;
        var eventId = succeeding.EventId.ToString();
        var run = Assert.Single(stack.Prefect.FlowRuns, r => r.Labels["bridge.event-id"]!.GetValue<string>() == eventId);
        var dispatched = Assert.Single(entries, e =>
            e.Message.Contains($"flow run {run.Id}", StringComparison.Ordinal) && e.Message.Contains("created", StringComparison.Ordinal));
        Assert.Contains(eventId, dispatched.Values); // the event's log scope, as Serilog writes it: a property
        Assert.Contains(entries, e => e.Level is LogLevel.Debug or LogLevel.Trace);
        Assert.Contains(entries, e => e.Exception?.Contains("Prefect refused Bridge's credentials", StringComparison.Ordinal) == true);

        string[] secrets =
        [
            SandboxStack.PrefectApiKey,
            SandboxStack.BitbucketAccessToken,
            .. events.Select(e => e.OidcToken),
            .. events.Select(e => e.OidcToken.Split('.')[2]),
        ];
        foreach (var secret in secrets)
        {
            var leaks = entries.Where(e => e.Text.Contains(secret, StringComparison.Ordinal)).ToList();
            Assert.True(
                leaks.Count == 0, $"A secret reached {leaks.Count} log line(s), e.g. {leaks.FirstOrDefault()}:\n{leaks.FirstOrDefault()?.Text}");
            Assert.All(deadLetters, dead => Assert.DoesNotContain(secret, dead.HeaderText, StringComparison.Ordinal));
        }

        // The dead letters are the original messages: their bodies do hold the tokens.
        Assert.All(deadLetters.Zip(events.Skip(1)), pair =>
            Assert.Contains(pair.Second.OidcToken, System.Text.Encoding.UTF8.GetString(pair.First.Body), StringComparison.Ordinal));

        async Task<PipelineEvent> SendAsync(PipelineEvent message)
        {
            events.Add(message);
            await stack.SendAsync(message, CancellationToken.None);
            return message;
        }

        async Task<DeadLetter> TakeDeadLetterAsync(string reason)
        {
            var dead = Assert.Single(await DeadLetters.TakeAsync(fixture.Broker, stack.Queue));
            Assert.Contains(reason, dead.FaultMessage, StringComparison.Ordinal);
            return dead;
        }
    }
}
