using Microsoft.Extensions.Options;

namespace Bridge.Worker.Routing;

internal static class RoutingExtensions
{
    /// <summary>Registers the route table, loaded from <c>Bridge:Routing:File</c> and validated at start.</summary>
    public static IHostApplicationBuilder AddRouting(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<RoutingOptions>().BindConfiguration(RoutingOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RoutingOptions>, RoutingOptionsValidator>();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RoutingOptions>>().Value;
            var (routes, errors) = RouteFile.Load(options.File!);
            return errors.Count == 0
                ? new RouteTable(routes)
                : throw new OptionsValidationException(RoutingOptions.Section, typeof(RoutingOptions), errors);
        });
        return builder;
    }
}
