using Bridge.Sandbox.Emulators;
using Bridge.Sandbox.Emulators.Aws;
using Bridge.Tests.Support;
using Bridge.Worker;
using Bridge.Worker.Credentials;
using Bridge.Worker.Routing;
using Bridge.Worker.Triggers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Credentials;

/// <summary>Bridge's own STS retry policy, call by call, against the STS emulator.</summary>
public sealed class AwsCredentialExchangeTests : IAsyncLifetime
{
    private const string Role = "arn:aws:iam::123456789012:role/ci-deploy";
    private static readonly Bridge.Worker.Triggers.Trigger Tag = SampleEvents.Tag().AsTrigger();

    private static readonly RouteDefinition Route = Assert.Single(RouteFile.Read(
        YamlToJson.Parse(new StringReader("routes: [{ name: r, match: { repository: 'acme/*' }, deployment: f/d }]")), "test").Routes);

    private StsEmulator sts = null!;
    private AwsCredentialExchange exchange = null!;

    public async Task InitializeAsync()
    {
        sts = await StsEmulator.StartAsync();
        sts.TrustProvider(SampleWorkspace.Issuer, SampleWorkspace.Oidc.Jwks);
        sts.AddRole(new StsRole { Arn = Role, Issuer = SampleWorkspace.Issuer, Audience = SampleWorkspace.Oidc.DefaultAudience, SubjectPattern = "*" });
        var options = new CredentialsOptions();
        options.Aws.ServiceUrl = sts.ServiceUrl;
        options.Aws.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
        exchange = new AwsCredentialExchange(Options.Create(options), TimeProvider.System, NullLogger<AwsCredentialExchange>.Instance);
    }

    public async Task DisposeAsync()
    {
        exchange.Dispose();
        await sts.DisposeAsync();
    }

    [Fact]
    public async Task Throttling_and_5xx_are_retried_until_success()
    {
        sts.FailNext("Throttling");
        sts.FailNext("InternalFailure");
        sts.FailNext("ServiceUnavailable");

        var session = Assert.IsType<AwsSession>((await exchange.AssumeAsync(Tag, Tag.Step(), Route, new AwsRoute { RoleArn = Role }, CancellationToken.None)).Session);

        Assert.Equal(4, sts.Calls.Count);
        Assert.Equal(Assert.Single(sts.Issued).AccessKeyId, session.AccessKeyId);
        Assert.DoesNotContain(session.SecretAccessKey, session.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_wait_on_the_injected_clock_and_a_fixed_randomizer_fixes_their_delays()
    {
        var first = await RetryLinesAsync();
        var second = await RetryLinesAsync();

        Assert.Equal(3, first.Count);
        Assert.Equal(first, second);
        Assert.Equal(8, sts.Calls.Count);
    }

    /// <summary>
    /// Three throttled calls, then a session, on a fake clock: the exchange waits for the clock (nothing happens until
    /// it is advanced) and logs each retry's delay.
    /// </summary>
    private async Task<List<string>> RetryLinesAsync()
    {
        sts.FailNext("Throttling", 3);
        var calls = sts.Calls.Count;
        var clock = new FakeTimeProvider();
        var logs = new CapturingLoggerProvider();
        using var loggers = new LoggerFactory([logs]);
        var options = new CredentialsOptions();
        options.Aws.ServiceUrl = sts.ServiceUrl;
        options.Aws.RetryBaseDelay = TimeSpan.FromSeconds(1);
        options.Aws.AttemptTimeout = TimeSpan.FromHours(1);
        using var fixedJitter = new AwsCredentialExchange(
            Options.Create(options), clock, loggers.CreateLogger<AwsCredentialExchange>(), randomizer: () => 0.25);

        var assuming = fixedJitter.AssumeAsync(Tag, Tag.Step(), Route, new AwsRoute { RoleArn = Role }, CancellationToken.None);
        await sts.WaitForAsync(() => sts.Calls.Count == calls + 1, TimeSpan.FromSeconds(30));
        Assert.False(assuming.IsCompleted, "the exchange retried without waiting for the injected clock");
        await Eventually.WaitAsync(
            () =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(500));
                return Task.FromResult(assuming.IsCompleted);
            },
            TimeSpan.FromSeconds(30),
            "the exchange has retried through the fake clock");
        await assuming;

        return [.. logs.Entries.Where(e => e.Message.Contains("next in", StringComparison.Ordinal)).Select(e => e.Message)];
    }

    [Fact]
    public async Task Outage_longer_than_the_attempts_is_upstream_unavailable_for_a_later_redelivery()
    {
        sts.FailNext("IDPCommunicationError", 10);

        await Assert.ThrowsAsync<UpstreamUnavailableException>(() =>
            exchange.AssumeAsync(Tag, Tag.Step(), Route, new AwsRoute { RoleArn = Role }, CancellationToken.None));
        Assert.Equal(4, sts.Calls.Count);
    }

    [Theory]
    [InlineData("InvalidIdentityToken", 2)]
    [InlineData("ExpiredTokenException", 1)]
    [InlineData("AccessDenied", 1)]
    public async Task Refusals_fail_after_a_bounded_number_of_calls(string code, int calls)
    {
        sts.FailNext(code, 5);

        var answer = await exchange.AssumeAsync(Tag, Tag.Step(), Route, new AwsRoute { RoleArn = Role }, CancellationToken.None);

        Assert.Equal(calls, sts.Calls.Count);
        Assert.Null(answer.Session);
        Assert.Equal(new Rejection("credentials-refused", $"AWS refused role {Role} for this repository ({code})"), answer.Refused);
    }

    [Fact]
    public async Task Invalid_request_is_refused_before_any_call()
    {
        var answer = await exchange.AssumeAsync(Tag, Tag.Step(), Route, new AwsRoute { RoleArn = Role, DurationSeconds = 60 }, CancellationToken.None);

        Assert.Empty(sts.Calls);
        Assert.Null(answer.Session);
        Assert.Contains("durationSeconds", answer.Refused?.Why, StringComparison.Ordinal);
    }
}
