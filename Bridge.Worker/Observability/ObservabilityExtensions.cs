using Microsoft.Extensions.DependencyInjection.Extensions;
using Serilog;
using Serilog.Configuration;
using Serilog.Formatting.Json;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Bridge.Worker.Observability;

internal static class ObservabilityExtensions
{
    /// <summary>The meters exported: Bridge's, MassTransit's, HttpClient's, ASP.NET Core's and the runtime's.</summary>
    public static readonly string[] Meters =
        [BridgeMetrics.MeterName, "MassTransit", "System.Net.Http", "System.Net.NameResolution", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime"];

    /// <summary>The activity sources traced: Bridge's spans, MassTransit's consume, the HTTP calls and requests.</summary>
    public static readonly string[] Sources = [BridgeActivities.SourceName, "MassTransit", "System.Net.Http", "Microsoft.AspNetCore"];

    /// <summary>A <c>text</c> line: its properties (<see cref="TraceIdsEnricher"/>'s trace and span ids among them) as JSON.</summary>
    public const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}";

    /// <summary>Serilog to the console (levels from the <c>Serilog</c> section), Bridge's metrics and OpenTelemetry.</summary>
    public static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var format = builder.Configuration[$"{LoggingOptions.Section}:Format"] ?? new LoggingOptions().Format;
        if (format is not ("json" or "text"))
        {
            throw new Hosting.BridgeConfigurationException($"{LoggingOptions.Section}:Format must be 'json' or 'text' (got '{format}')");
        }

        builder.Logging.ClearProviders();

        // Serilog owns the logger factory. Providers added through ILoggingBuilder (the tests' capture, the sandbox) still
        // get every event Serilog lets through, with its properties; Serilog's static Log is left alone (several workers
        // may share a process in tests).
        builder.Services.AddSerilog(
            (services, logger) =>
            {
                logger.ReadFrom.Configuration(builder.Configuration).ReadFrom.Services(services).Enrich.FromLogContext();

                // Already logged (one line per attempt; the refusal in one line) and printed by bridge run: not again as the
                // host's start-up failure, with a stack trace.
                logger.Filter.ByExcluding(e => e.Exception is Queue.BrokerUnreachableAtStartException or Queue.QueueDeclarationRefusedException);
                Action<LoggerSinkConfiguration> console = format == "json"
                    ? to => to.Console(new JsonFormatter(renderMessage: true))
                    : to => to.Console(outputTemplate: TextTemplate);
                if (format == "text")
                {
                    // The JSON formatter writes the trace and span ids itself.
                    logger.Enrich.With<TraceIdsEnricher>();
                }

                logger.WriteTo.Sink(LoggerSinkConfiguration.Wrap(sink => new BrokerConnectionLines(sink), console));
            },
            preserveStaticLogger: true,
            writeToProviders: true);
        builder.Services.TryAddSingleton<BridgeMetrics>();
        builder.AddTelemetry();
        return builder;
    }

    /// <summary>
    /// OpenTelemetry: metrics on <c>/metrics</c> (Prometheus) and to the OTLP endpoint when one is set; traces only
    /// with an OTLP endpoint (nothing would read them otherwise), their ids then in every log line of the work.
    /// </summary>
    private static void AddTelemetry(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(OpenTelemetryOptions.Section).Get<OpenTelemetryOptions>() ?? new OpenTelemetryOptions();
        if (options.Problems() is { Count: > 0 } problems)
        {
            throw new Hosting.BridgeConfigurationException(string.Join("; ", problems));
        }

        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        var version = typeof(ObservabilityExtensions).Assembly.GetName().Version?.ToString();
        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService(options.ServiceName, serviceVersion: version));
        var otlp = string.IsNullOrEmpty(options.OtlpEndpoint) ? null : options.OtlpEndpoint;
        if (options.Prometheus || otlp is not null)
        {
            telemetry.WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters);
                if (options.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(o => Otlp(o, otlp, options.OtlpProtocol, "metrics"));
                }
            });
        }

        if (otlp is not null)
        {
            telemetry.WithTracing(tracing => Trace(tracing).AddOtlpExporter(o => Otlp(o, otlp, options.OtlpProtocol, "traces")));
        }
    }

    /// <summary>
    /// The exporter's endpoint for one signal: the collector's address as given for gRPC; for OTLP/HTTP the signal's path
    /// appended (<c>…:4318/v1/traces</c>), since an endpoint set in code is used as it is and one collector address serves both signals.
    /// </summary>
    private static void Otlp(OtlpExporterOptions exporter, string endpoint, string protocol, string signal)
    {
        exporter.Protocol = protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = exporter.Protocol == OtlpExportProtocol.Grpc ? new Uri(endpoint) : new Uri($"{endpoint.TrimEnd('/')}/v1/{signal}");
    }

    /// <summary>Bridge's sources on a tracer provider (the OTLP one, or a test's in-memory one).</summary>
    public static TracerProviderBuilder Trace(TracerProviderBuilder tracing)
    {
        ArgumentNullException.ThrowIfNull(tracing);
        return tracing.AddSource(Sources);
    }
}
