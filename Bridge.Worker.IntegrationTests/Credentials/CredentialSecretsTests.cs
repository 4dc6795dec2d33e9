using Bridge.Contracts;
using Bridge.Sandbox.Emulators;
using Bridge.Sandbox.Emulators.Entra;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Credentials;

namespace Bridge.Tests.Credentials;

/// <summary>Every log line of the credential scenarios, searched for tokens, secret keys and session tokens.</summary>
[Collection(BrokerCollection.Name)]
public sealed class CredentialSecretsTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task No_token_secret_key_or_session_token_reaches_a_log_line_a_dead_letter_header_or_the_run_metadata()
    {
        var logs = new CapturingLoggerProvider();
        await using var stack = await CredentialRoutes.Stack(fixture.Broker).WithLogs(logs).StartAsync();
        var subject = BridgeAssertionIssuer.Subject(SampleWorkspace.Uuid, SampleEvents.RepositoryUuid, "azure");
        stack.Entra.AddApplication(CredentialRoutes.Tenant, stack.ClientId, new FederatedCredential(CredentialRoutes.IssuerUrl, subject));
        var sent = new List<PipelineEvent>();
        var deadLetters = new List<DeadLetter>();

        // Two repositories on one AWS route at once; STS fails twice on the way.
        stack.Sts.FailNext("IDPCommunicationError", 2);
        await Task.WhenAll(SendAsync(CredentialRoutes.Tag("aws-1")), SendAsync(CredentialRoutes.Tag("aws-1", "acme/web")));
        await stack.WaitForAcceptedStatusesAsync(2);

        // A trust policy that does not match, and AccessDenied.
        await SendAsync(CredentialRoutes.Tag("api-1", "acme/web"));
        deadLetters.AddRange(await DeadLetters.TakeAsync(fixture.Broker, stack.Queue));
        stack.Sts.FailNext("AccessDenied");
        await SendAsync(CredentialRoutes.Tag("aws-2"));
        deadLetters.AddRange(await DeadLetters.TakeAsync(fixture.Broker, stack.Queue));

        // Azure accepted, and refused for another repository.
        await SendAsync(CredentialRoutes.Tag("az-1"));
        await stack.WaitForAcceptedStatusesAsync(5);
        await SendAsync(CredentialRoutes.Tag("az-1", "acme/web"));
        deadLetters.AddRange(await DeadLetters.TakeAsync(fixture.Broker, stack.Queue));

        Assert.Equal(3, stack.Prefect.FlowRuns.Count);
        Assert.Equal(2, stack.Sts.Issued.Count);
        string[] secrets =
        [
            .. stack.Sts.Issued.SelectMany(i => new[] { i.SecretAccessKey, i.SessionToken }),
            .. stack.Entra.Calls.Select(c => c.AccessToken).OfType<string>(),
            .. stack.Entra.Calls.Select(c => c.Assertion!.Split('.')[2]),
            .. sent.Select(e => e.OidcToken),
            .. sent.Select(e => e.OidcToken.Split('.')[2]),
        ];
        Assert.Equal(2 + 2 + 1 + 2 + (2 * sent.Count), secrets.Length);
        var entries = logs.Entries;
        Assert.Contains(entries, e => e.Message.Contains("assumed AWS role", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Message.Contains("Entra refused", StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            var leaks = entries.Where(e => e.Text.Contains(secret, StringComparison.Ordinal)).ToList();
            Assert.True(leaks.Count == 0, $"A secret reached {leaks.Count} log line(s), e.g. {leaks.FirstOrDefault()}:\n{leaks.FirstOrDefault()?.Text}");
            Assert.All(deadLetters, dead => Assert.DoesNotContain(secret, dead.HeaderText, StringComparison.Ordinal));
            Assert.All(stack.Bitbucket.Statuses, s => Assert.DoesNotContain(secret, s.Description ?? string.Empty, StringComparison.Ordinal));
            Assert.All(stack.Prefect.FlowRuns, run =>
            {
                Assert.DoesNotContain(secret, run.Parameters.ToJsonString(), StringComparison.Ordinal);
                Assert.DoesNotContain(secret, run.Labels.ToJsonString(), StringComparison.Ordinal);
                Assert.DoesNotContain(secret, string.Join(' ', run.Tags), StringComparison.Ordinal);
                Assert.DoesNotContain(secret, run.Name, StringComparison.Ordinal);
            });
        }

        async Task SendAsync(PipelineEvent message)
        {
            lock (sent)
            {
                sent.Add(message);
            }

            await stack.SendAsync(message, CancellationToken.None);
        }
    }
}
