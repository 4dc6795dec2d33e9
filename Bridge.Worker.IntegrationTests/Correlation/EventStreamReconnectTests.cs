using Bridge.Sandbox.Emulators;
using Bridge.Tests.Support;
using Bridge.Worker.Correlation;
using Bridge.Worker.Observability;
using Bridge.Worker.Prefect;
using Bridge.Worker.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Correlation;

/// <summary>The event stream's reconnects, on a fake clock and a fixed randomizer, against the Prefect emulator.</summary>
public sealed class EventStreamReconnectTests
{
    private const string ApiKey = "pnu_reconnect_test";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Reconnects_wait_on_the_injected_clock_and_a_fixed_randomizer_fixes_their_delays()
    {
        var first = await ReconnectLinesAsync();
        var second = await ReconnectLinesAsync();

        Assert.Equal(3, first.Count);
        Assert.Equal(first, second);
    }

    /// <summary>
    /// Three refused connections, then an accepted one: each reconnect happens only once the fake clock is advanced.
    /// Returns the worker's "reconnecting in" lines (they carry the delays).
    /// </summary>
    private static async Task<List<string>> ReconnectLinesAsync()
    {
        await using var prefect = await PrefectEmulator.StartAsync(new PrefectEmulatorOptions { ApiKey = ApiKey });
        prefect.RefuseEventStreams = true;
        var clock = new FakeTimeProvider();
        var logs = new CapturingLoggerProvider();
        await using var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
            .AddMetrics()
            .AddSingleton<BridgeMetrics>()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton<PrefectEventStream>()
            .Configure<PrefectOptions>(o => (o.ApiUrl, o.ApiKey) = (prefect.ApiUrl, ApiKey))
            .Configure<CorrelationOptions>(o => (o.ReconnectMinDelay, o.ReconnectMaxDelay) = (TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)))
            .BuildServiceProvider();
        // One process without a broker: the lease is held from the start.
        using var lease = new CorrelatorLease(
            Options.Create(new BrokerOptions { Transport = BrokerTransport.InMemory }),
            services.GetRequiredService<IOptions<CorrelationOptions>>(),
            new ReportedRuns(clock),
            clock,
            services.GetRequiredService<ILogger<CorrelatorLease>>());
        await lease.StartAsync(CancellationToken.None);
        using var stream = new FlowRunEventStream(
            services.GetRequiredService<IServiceScopeFactory>(),
            lease,
            services.GetRequiredService<PrefectEventStream>(),
            services.GetRequiredService<IOptions<CorrelationOptions>>(),
            clock,
            services.GetRequiredService<BridgeMetrics>(),
            services.GetRequiredService<ILogger<FlowRunEventStream>>(),
            randomizer: () => 0.25);

        await stream.StartAsync(CancellationToken.None);
        await prefect.WaitForAsync(() => prefect.EventStreams.Refused == 1, Deadline);
        for (var refused = 2; refused <= 3; refused++)
        {
            Assert.Equal(refused - 1, prefect.EventStreams.Refused);
            await AdvanceUntilAsync(clock, () => prefect.EventStreams.Refused == refused, $"connection {refused} was refused");
        }

        prefect.RefuseEventStreams = false;
        await AdvanceUntilAsync(clock, () => prefect.EventStreams.Open == 1 && stream.Connections == 1, "the stream is open");
        await stream.StopAsync(CancellationToken.None);

        Assert.Equal(3, prefect.EventStreams.Refused);
        return [.. logs.Entries.Where(e => e.Message.Contains("reconnecting in", StringComparison.Ordinal)).Select(e => e.Message)];
    }

    private static Task AdvanceUntilAsync(FakeTimeProvider clock, Func<bool> condition, string what) =>
        Eventually.WaitAsync(
            () =>
            {
                if (condition())
                {
                    return Task.FromResult(true);
                }

                clock.Advance(TimeSpan.FromMilliseconds(250));
                return Task.FromResult(false);
            },
            Deadline,
            what);
}
