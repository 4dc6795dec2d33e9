namespace Bridge.Worker.Dispatch;

internal static class DispatchExtensions
{
    public static IHostApplicationBuilder AddDispatch(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<RouteDispatcher>();
        return builder;
    }
}
