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

        var logger = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext();
        logger = format == "json"
            ? logger.WriteTo.Console(new JsonFormatter(renderMessage: true))
            : logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}");
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger.CreateLogger(), dispose: true);
        builder.Services.AddSingleton<BridgeMetrics>();
        return builder;
    }
}
