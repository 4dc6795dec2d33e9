using System.Diagnostics;
using Bridge.Sandbox.Emulators;
using Bridge.Tests.Correlation;
using Bridge.Tests.Credentials;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Correlation;
using Bridge.Worker.Observability;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
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

    private static string? Tag(Activity span, string name) => span.GetTagItem(name)?.ToString();

    private static string Render(Activity span) => string.Join(' ',
        [
            span.OperationName, span.DisplayName, span.StatusDescription ?? "",
            .. span.TagObjects.Select(t => $"{t.Key}={t.Value}"),
            .. span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name} {t.Key}={t.Value}")),
            .. span.Baggage.Select(b => $"{b.Key}={b.Value}"),
        ]);
}
