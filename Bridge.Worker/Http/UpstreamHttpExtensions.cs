using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bridge.Worker.Http;

internal static class UpstreamHttpExtensions
{
    /// <summary>
    /// Adds the upstream's resilience handler. The pipeline is one singleton per upstream, so the circuit breaker
    /// sees every request even though the factory recycles handlers. Each attempt is logged by
    /// <see cref="UpstreamHttpLogger"/> instead of the factory's loggers, which would log the credentials.
    /// </summary>
    public static IHttpClientBuilder AddUpstreamResilience<TOptions>(this IHttpClientBuilder builder, string upstream)
        where TOptions : UpstreamOptions
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddKeyedSingleton(upstream, (sp, _) => UpstreamResilience.Build(
            upstream,
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<TOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        return builder
            .AddHttpMessageHandler(sp =>
                new ResilienceHandler(sp.GetRequiredKeyedService<Polly.ResiliencePipeline<HttpResponseMessage>>(upstream)))
            .RemoveAllLoggers()
            .AddLogger(sp => new UpstreamHttpLogger(
                sp.GetRequiredService<ILoggerFactory>().CreateLogger($"{typeof(UpstreamHttpLogger).Namespace}.{upstream}")));
    }
}
