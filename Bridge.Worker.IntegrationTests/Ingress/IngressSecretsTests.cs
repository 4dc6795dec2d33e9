using System.Net;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Identity;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Ingress;

namespace Bridge.Tests.Ingress;

/// <summary>Step tokens sent to the ingress never reach a log line, whatever the ingress answers.</summary>
[Collection(BrokerCollection.Name)]
public sealed class IngressSecretsTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Tokens_sent_to_the_ingress_never_reach_logs_whatever_the_answer()
    {
        var logs = new CapturingLoggerProvider();
        await using var ingress = await IdentityRoutes.Stack(fixture.Broker).WithIngress().WithLogs(logs)
            .With<IngressOptions>(o => o.MaxBodyBytes = 2048)
            .StartAsync();
        var accepted = ingress.Issue(SampleEvents.UnsignedTag("v4.0.0"));
        var forged = ForgedTokens.Tampered(ingress.Issue(SampleEvents.UnsignedTag()).OidcToken, claims => claims["sub"] = "intruder");
        var refused = ingress.Issue(SampleEvents.UnsignedTag("prod-2"), t => t with { DeploymentEnvironmentUuid = IdentityRoutes.StagingEnvironment });
        var oversize = ingress.Issue(SampleEvents.UnsignedTag());
        var invalid = ingress.Issue(SampleEvents.UnsignedTag());

        using var ok = await ingress.PostAsync(accepted);
        using var unauthorized = await ingress.PostAsync(accepted, forged);
        using var forbidden = await ingress.PostAsync(refused);
        using var tooLarge = await ingress.PostAsync(oversize with { Commit = new string('a', 4096) });
        using var bad = await ingress.PostAsync(invalid with { Commit = "abc" });
        await ingress.WaitForAcceptedStatusesAsync();

        Assert.Equal(
            [HttpStatusCode.Accepted, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.BadRequest],
            [ok.StatusCode, unauthorized.StatusCode, forbidden.StatusCode, tooLarge.StatusCode, bad.StatusCode]);
        var entries = logs.Entries;
        Assert.Contains(entries, e => e.Text.Contains(accepted.EventId.ToString()!, StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Text.Contains("bad-signature", StringComparison.Ordinal));
        foreach (var token in new[] { accepted.OidcToken, forged, refused.OidcToken, oversize.OidcToken, invalid.OidcToken })
        {
            foreach (var secret in new[] { token, token.Split('.')[1], token.Split('.')[2] })
            {
                var leaks = entries.Where(e => e.Text.Contains(secret, StringComparison.Ordinal)).Select(e => e.Category).ToList();
                Assert.True(leaks.Count == 0, $"A token (or part of it) reached {leaks.Count} log line(s) of: {string.Join(", ", leaks.Distinct())}");
            }
        }
    }
}
