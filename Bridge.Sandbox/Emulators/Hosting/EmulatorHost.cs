using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bridge.Sandbox.Emulators;

/// <summary>Starts a minimal-API emulator on real Kestrel, bound to 127.0.0.1 only.</summary>
internal static class EmulatorHost
{
    public static async Task<WebApplication> StartAsync(
        int port, LogLevel minimumLogLevel, Action<WebApplication> configure, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);

        // The empty builder reads no appsettings and no ASPNETCORE_* variables, so nothing outside can rebind it.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddRoutingCore();

        // An emulator stops with its test or sandbox: a connection a client left open must not hold that up for the
        // host's default 30 s (seen in the suite: a Kestrel connection outliving the worker that opened it).
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Logging.SetMinimumLevel(minimumLogLevel).AddSimpleConsole(console => console.SingleLine = true);

        var app = builder.Build();
        configure(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    /// <summary>The address Kestrel actually bound (the real port when 0 was asked for), without a trailing slash.</summary>
    public static Uri BoundAddress(WebApplication app) =>
        new(app.Urls.FirstOrDefault() ?? throw new InvalidOperationException("The emulator host did not bind an address."));
}
