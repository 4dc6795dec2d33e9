using Microsoft.Extensions.Options;

namespace Bridge.Worker.Hosting;

/// <summary>Builds the worker: the same composition for <c>bridge run</c>, the sandbox and the tests.</summary>
internal static class BridgeWorkerHost
{
    /// <param name="args">Command-line settings (<c>--Bridge:Prefect:ApiUrl=…</c>).</param>
    /// <param name="overrides">Settings that win over every other source (the sandbox's and the tests' own).</param>
    /// <param name="configure">Last changes to the builder, e.g. an extra log provider in tests.</param>
    /// <exception cref="BridgeConfigurationException">A setting is wrong; its errors name every setting at fault.</exception>
    public static WebApplication Build(
        string[] args,
        IEnumerable<KeyValuePair<string, string?>>? overrides = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        try
        {
            return Compose(args, overrides, configure);
        }
        catch (Exception ex) when (BridgeConfigurationException.From(ex) is { } invalid && !ReferenceEquals(invalid, ex))
        {
            throw invalid;
        }
    }

    private static WebApplication Compose(
        string[] args, IEnumerable<KeyValuePair<string, string?>>? overrides, Action<WebApplicationBuilder>? configure)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.AddBridgeWorker();
        configure?.Invoke(builder);
        var app = builder.Build();
        try
        {
            // Every setting is checked here, all at once: mapping the endpoints already builds services (the bus, for
            // its health checks) that would each stop at the first wrong setting they meet.
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch
        {
            ((IDisposable)app).Dispose();
            throw;
        }

        app.MapBridgeEndpoints();
        return app;
    }
}
