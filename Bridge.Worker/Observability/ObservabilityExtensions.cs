using Microsoft.Extensions.DependencyInjection.Extensions;
using Serilog;
using Serilog.Formatting.Json;

namespace Bridge.Worker.Observability;

internal static class ObservabilityExtensions
{
    /// <summary>Serilog to the console (levels from the <c>Serilog</c> section) and Bridge's metrics.</summary>
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

                // Already logged, one line per attempt, and printed by bridge run: not again as the host's start-up failure.
                logger.Filter.ByExcluding(e => e.Exception is Queue.BrokerUnreachableAtStartException);
                if (format == "json")
                {
                    logger.WriteTo.Console(new JsonFormatter(renderMessage: true));
                }
                else
                {
                    logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}");
                }
            },
            preserveStaticLogger: true,
            writeToProviders: true);
        builder.Services.TryAddSingleton<BridgeMetrics>();
        return builder;
    }
}
