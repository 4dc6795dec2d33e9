using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Bridge.Contracts;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Identity;

/// <summary>Rejections log one line with the reason, and never the token, in the logs or the dead letter's headers.</summary>
[Collection(BrokerCollection.Name)]
public sealed class RejectionLogTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Rejections_are_counted_by_reason_and_logged_once_without_the_token_in_logs_or_fault_headers()
    {
        var logs = new CapturingLoggerProvider();
        // A made-up kid on a fresh token is rejected once keys fetched after its iat lack it: a short interval keeps that quick.
        await using var stack = await IdentityRoutes.Stack(fixture.Broker).WithLogs(logs)
            .With<IdentityOptions>(o => o.KeyRefreshMinInterval = TimeSpan.FromSeconds(2)).StartAsync();
        var issuer = stack.Issuer;
        var now = DateTimeOffset.UtcNow;
        var genuine = HostileTokenTests.Issue(issuer, SampleEvents.UnsignedTag());
        var other = new Bridge.Sandbox.Emulators.OidcWorkspace("acme", SampleEvents.WorkspaceUuid, Bridge.Sandbox.Emulators.SampleWorkspace.Issuer);
        PipelineEvent[] hostile =
        [
            genuine with { OidcToken = ForgedTokens.AlgNone(genuine.OidcToken) },
            genuine with { OidcToken = ForgedTokens.Tampered(genuine.OidcToken, c => c["aud"] = "x") },
            HostileTokenTests.Issue(other, SampleEvents.UnsignedTag()),
            HostileTokenTests.Issue(issuer, SampleEvents.UnsignedTag(), t => t with { IssuedAt = now.AddHours(-2), ExpiresAt = now.AddHours(-1) }),
            HostileTokenTests.Issue(issuer, SampleEvents.UnsignedTag(), t => t with { Audience = "sts.amazonaws.com" }),
            genuine with { Commit = SampleEvents.Sha() },
            genuine with { OidcToken = "not-a-jwt-" + Guid.NewGuid().ToString("N") },
        ];

        var counted = new ConcurrentBag<string>();
        using var listener = new MeterListener();
        var meters = stack.Worker.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "bridge.events.rejected" && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    counted.Add((string)tag.Value!);
                }
            }
        });
        listener.Start();

        foreach (var message in hostile)
        {
            await stack.SendAsync(message, CancellationToken.None);
        }

        var dead = await DeadLetters.TakeAsync(fixture.Broker, stack.Queue, hostile.Length);
        Assert.Equal(
            ["alg-none", "bad-signature", "commit-mismatch", "expired", "token-malformed", "unknown-kid", "wrong-audience"],
            dead.Select(d => d.RejectReason()).Order(StringComparer.Ordinal));

        Assert.Equal(dead.Select(d => d.RejectReason()).Order(StringComparer.Ordinal), counted.Order(StringComparer.Ordinal));

        var entries = logs.Entries;
        var rejections = entries.Where(e => e.Message.StartsWith("Rejected event", StringComparison.Ordinal)).ToList();
        Assert.Equal(hostile.Length, rejections.Count);
        Assert.All(rejections, r => Assert.Equal(LogLevel.Warning, r.Level));
        foreach (var token in hostile.Select(h => h.OidcToken).Append(genuine.OidcToken))
        {
            var secrets = token.Split('.').Where(part => part.Length > 20).Append(token);
            foreach (var secret in secrets)
            {
                var leaks = entries.Where(e => e.Text.Contains(secret, StringComparison.Ordinal)).ToList();
                Assert.True(leaks.Count == 0, $"A token reached {leaks.Count} log line(s), e.g. {leaks.FirstOrDefault()}");
                Assert.All(dead, d => Assert.DoesNotContain(secret, d.HeaderText, StringComparison.Ordinal));
            }
        }
    }
}
