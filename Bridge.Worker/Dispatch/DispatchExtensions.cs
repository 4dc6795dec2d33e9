namespace Bridge.Worker.Dispatch;

internal static class DispatchExtensions
{
    /// <summary>Registers the event processor and the per-route dispatcher.</summary>
    public static IHostApplicationBuilder AddDispatch(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<PipelineEvents.PipelineEventHandler>();
        builder.Services.AddScoped<RouteDispatcher>();
        return builder;
    }
}
