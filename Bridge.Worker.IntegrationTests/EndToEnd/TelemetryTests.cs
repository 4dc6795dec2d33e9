using System.Collections.Concurrent;
using System.Diagnostics;
using Bridge.Sandbox.Emulators;
using Bridge.Tests.Correlation;
using Bridge.Tests.Credentials;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Correlation;
using Bridge.Worker.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;
using Bridge.Tests.Stacks;
using SandboxStack = Bridge.Sandbox.Runner.SandboxStack;

namespace Bridge.Tests.EndToEnd;

/// <summary>
/// OpenTelemetry on the real path: <c>/metrics</c> after an event's whole life, and its trace, from the consumer to the
/// final status posted later, through an in-memory exporter on Bridge's own sources; no secret in either. MassTransit's
/// meter is the process's: <see cref="Queue.MetricsEndpointTests"/> reads it from a worker process.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class TelemetryTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Over_otlp_http_metrics_and_traces_reach_a_collector_s_signal_paths()
    {
        // A stand-in for a collector's OTLP/HTTP receiver: it records what arrives on which path. Bridge is given the
        // collector's base address, as for an OpenTelemetry Collector on :4318, and must post to /v1/traces and /v1/metrics.
        var received = new ConcurrentQueue<(string Path, string? ContentType, byte[] Body)>();
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = builder.Build();
        collector.MapPost("/{**path}", async (Microsoft.AspNetCore.Http.HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Request.Path.Value ?? string.Empty, context.Request.ContentType, body.ToArray()));
            return Microsoft.AspNetCore.Http.Results.Ok();
        });
        await collector.StartAsync();
        var address = collector.Urls.Single();

        await using var stack = await BridgeStack.On(fixture.Broker)
            .WithComposition(new Dictionary<string, string?>
            {
                ["Bridge:Telemetry:OtlpEndpoint"] = address,
                ["Bridge:Telemetry:OtlpProtocol"] = "http/protobuf",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            })
            .StartAsync();
        var message = SampleEvents.Tag("v9.1.0");
        await stack.SendAsync(message, CancellationToken.None);
        await stack.WaitForInProgressAsync(message);

        bool Arrived(string path, string content) => received.Any(r => r.Path == path && r.ContentType == "application/x-protobuf"
            && System.Text.Encoding.UTF8.GetString(r.Body).Contains(content, StringComparison.Ordinal));
        await Eventually.WaitAsync(() => Task.FromResult(Arrived("/v1/traces", "bridge.event")), BridgeStack.Deadline, "the event's spans reached /v1/traces");
        await Eventually.WaitAsync(() => Task.FromResult(Arrived("/v1/metrics", "bridge.flow_runs")), BridgeStack.Deadline, "Bridge's metrics reached /v1/metrics");
        Assert.All(received, r => Assert.Contains(r.Path, new[] { "/v1/traces", "/v1/metrics" }));
    }

    [Fact]
    public async Task One_trace_per_event_joins_its_final_status_and_metrics_show_bridge_s_figures_without_a_secret()
    {
        var spans = new Spans();
        await using var stack = await CredentialRoutes.Stack(fixture.Broker).FollowingOutcomes().With<CorrelationOptions>(OutcomeWaits.FastPoll)
            .WithServices(services => services.AddOpenTelemetry().WithTracing(tracing => ObservabilityExtensions.Trace(tracing).AddInMemoryExporter(spans)))
            .StartAsync();
        var message = CredentialRoutes.Tag("api-2.0.0");

        await stack.SendAsync(message, CancellationToken.None);
        await stack.WaitForInProgressAsync(message);
        var run = stack.RunOf(message);
        stack.Prefect.SetState(run.Id, StateTypes.Completed);
        await stack.WaitForStatusAsync(run, "SUCCESSFUL");

        // A span is exported as it ends, after the post it wraps has been answered.
        await Eventually.WaitAsync(
            () => Task.FromResult(Snapshot(spans).Any(s => s.OperationName == "bridge.status" && Tag(s, "bridge.flow_run.id") == run.Id.ToString()
                && Tag(s, "bridge.status.state") == "SUCCESSFUL" && Tag(s, "bridge.status.posted") == "True")),
            BridgeStack.Deadline, "the final status's span was exported");
        var all = Snapshot(spans);
        var eventSpan = Assert.Single(all, s => s.OperationName == "bridge.event" && Tag(s, "bridge.event.id") == message.EventId.ToString());
        var trace = all.Where(s => s.TraceId == eventSpan.TraceId).ToList();
        foreach (var name in new[] { "bridge.verify", "bridge.credentials", "bridge.flow_run.create" })
        {
            Assert.Contains(trace, s => s.OperationName == name);
        }

        Assert.Contains(trace, s => s.OperationName == "bridge.status" && Tag(s, "bridge.status.state") == "INPROGRESS" && Tag(s, "bridge.status.posted") == "True");
        // The listener is the process's: other tests' spans are there too. A path that found the status posted already
        // has a span too, not posted.
        var final = Assert.Single(all, s => s.OperationName == "bridge.status" && Tag(s, "bridge.flow_run.id") == run.Id.ToString()
            && Tag(s, "bridge.status.state") == "SUCCESSFUL" && Tag(s, "bridge.status.posted") == "True");
        Assert.Equal(eventSpan.TraceId, final.TraceId);
        Assert.Contains(trace, s => s.Source.Name == "System.Net.Http"); // the calls themselves, inside Bridge's spans

        using var http = new HttpClient { BaseAddress = new Uri(stack.Worker.Urls.First()) };
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        foreach (var series in new[]
        {
            "bridge_events_total{", "bridge_flow_runs_total{", "bridge_statuses_total{",
            "bridge_status_inprogress_delay_seconds_bucket{", "bridge_status_final_delay_seconds_bucket{",
            "http_client_request_duration_seconds_bucket{", "service_name=\"bridge\"",
        })
        {
            Assert.Contains(series, metrics, StringComparison.Ordinal);
        }

        // Nothing secret in a span's name, tags, events or status, nor in the metrics.
        var issued = Assert.Single(stack.Sts.Issued);
        string[] secrets =
        [
            SandboxStack.PrefectApiKey, SandboxStack.BitbucketAccessToken, message.OidcToken, message.OidcToken.Split('.')[2],
            issued.SecretAccessKey, issued.SessionToken,
        ];
        var text = string.Join('\n', all.Select(Render)) + "\n" + metrics;
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_log_line_of_an_event_s_work_carries_its_trace_and_span_and_the_final_status_line_the_run_s_trace()
    {
        var spans = new Spans();
        var logs = new LogEvents();
        await using var stack = await CredentialRoutes.Stack(fixture.Broker).FollowingOutcomes().With<CorrelationOptions>(OutcomeWaits.FastPoll)
            .WithComposition(new Dictionary<string, string?> { [$"{LoggingOptions.Section}:Format"] = "text" })
            .WithLogEvents(logs)
            .WithServices(services => services.AddOpenTelemetry().WithTracing(tracing => ObservabilityExtensions.Trace(tracing).AddInMemoryExporter(spans)))
            .StartAsync();
        var message = CredentialRoutes.Tag("api-2.0.1");
        var sent = logs.Snapshot().Count; // start-up's lines (one names the route) are before

        await stack.SendAsync(message, CancellationToken.None);
        await stack.WaitForInProgressAsync(message);
        var run = stack.RunOf(message);
        stack.Prefect.SetState(run.Id, StateTypes.Completed);
        await stack.WaitForStatusAsync(run, "SUCCESSFUL");

        var runId = run.Id.ToString();
        await Eventually.WaitAsync(
            () => Task.FromResult(logs.Snapshot().Any(e => Posted(e, runId, "SUCCESSFUL")) && Snapshot(spans).Any(s => Posted(s, runId, "SUCCESSFUL"))),
            BridgeStack.Deadline, "the final status's log line and span");
        var all = Snapshot(spans);
        var eventSpan = Assert.Single(all, s => s.OperationName == "bridge.event" && Tag(s, "bridge.event.id") == message.EventId.ToString());
        var events = logs.Snapshot();
        var inProgress = events.FindIndex(e => Posted(e, runId, "INPROGRESS"));
        Assert.True(inProgress >= 0, Dump(events));

        // The event's work, up to its INPROGRESS: every line naming its route, its run or the event itself.
        var work = events.Take(inProgress + 1).Skip(sent)
            .Where(e => Property(e, "FlowRunId") == runId || Property(e, "EventId") == message.EventId.ToString() || Property(e, "Route") == "aws-api-only")
            .ToList();
        Assert.True(work.Count >= 3, Dump(events)); // credentials, flow run, INPROGRESS at least
        Assert.All(work, e => Assert.True(e.TraceId == eventSpan.TraceId, $"{e.RenderMessage()}: trace {e.TraceId}, the event's {eventSpan.TraceId}"));
        var inProgressSpan = Assert.Single(all, s => Posted(s, runId, "INPROGRESS"));
        Assert.Equal(inProgressSpan.SpanId, events[inProgress].SpanId);

        // The final status, posted later by whichever path saw the run end first, in the trace the run carries, in its own span.
        var finalLine = Assert.Single(events, e => Posted(e, runId, "SUCCESSFUL"));
        var finalSpan = Assert.Single(all, s => Posted(s, runId, "SUCCESSFUL"));
        Assert.Equal(eventSpan.TraceId, finalLine.TraceId);
        Assert.Equal(finalSpan.SpanId, finalLine.SpanId);

        // The text format shows them; a line written outside any span shows none.
        var text = Render(finalLine);
        Assert.Contains($"\"TraceId\":\"{eventSpan.TraceId.ToHexString()}\"", text, StringComparison.Ordinal);
        Assert.Contains($"\"SpanId\":\"{finalSpan.SpanId.ToHexString()}\"", text, StringComparison.Ordinal);
        var outside = events.First(e => e.TraceId is null);
        Assert.DoesNotContain("TraceId", Render(outside), StringComparison.Ordinal);
    }

    private static List<Activity> Snapshot(Spans spans) => spans.Snapshot();

    /// <summary>The exporter's list, added to from the exporting thread while the test reads it.</summary>
    private sealed class Spans : System.Collections.ObjectModel.Collection<Activity>
    {
        private readonly Lock _gate = new();

        protected override void InsertItem(int index, Activity item)
        {
            lock (_gate)
            {
                base.InsertItem(index, item);
            }
        }

        public List<Activity> Snapshot()
        {
            lock (_gate)
            {
                return [.. this];
            }
        }
    }

    /// <summary>The line saying <paramref name="state"/> was posted for the run (not the one saying it was there already).</summary>
    private static bool Posted(LogEvent e, string runId, string state) =>
        Property(e, "FlowRunId") == runId && Property(e, "State") == state && e.MessageTemplate.Text.Contains(" posted on ", StringComparison.Ordinal);

    private static bool Posted(Activity span, string runId, string state) =>
        span.OperationName == "bridge.status" && Tag(span, "bridge.flow_run.id") == runId && Tag(span, "bridge.status.state") == state
        && Tag(span, "bridge.status.posted") == "True";

    private static string? Property(LogEvent e, string name) =>
        e.Properties.TryGetValue(name, out var value) && value is ScalarValue { Value: { } scalar } ? scalar.ToString() : null;

    /// <summary>The line as the worker's <c>text</c> format writes it.</summary>
    private static string Render(LogEvent e)
    {
        using var line = new StringWriter();
        new MessageTemplateTextFormatter(ObservabilityExtensions.TextTemplate).Format(e, line);
        return line.ToString();
    }

    private static string Dump(IEnumerable<LogEvent> events) => string.Join('\n', events.Select(Render));

    /// <summary>The worker's log events as Serilog writes them, in order.</summary>
    private sealed class LogEvents : ILogEventSink
    {
        private readonly ConcurrentQueue<LogEvent> events = new();

        public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);

        public List<LogEvent> Snapshot() => [.. events];
    }

    private static string? Tag(Activity span, string name) => span.GetTagItem(name)?.ToString();

    private static string Render(Activity span) => string.Join(' ',
        [
            span.OperationName, span.DisplayName, span.StatusDescription ?? "",
            .. span.TagObjects.Select(t => $"{t.Key}={t.Value}"),
            .. span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name} {t.Key}={t.Value}")),
            .. span.Baggage.Select(b => $"{b.Key}={b.Value}"),
        ]);
}
