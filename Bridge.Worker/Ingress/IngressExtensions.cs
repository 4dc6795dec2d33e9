using Bridge.Worker.PipelineEvents;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Ingress;

internal static class IngressExtensions
{
    public const string EventsPath = "/v1/events";
    public const string BitbucketWebhookPath = "/v1/webhooks/bitbucket";

    /// <summary>The ingress's settings and services; it listens only when <see cref="IngressOptions.Enabled"/>.</summary>
    public static IHostApplicationBuilder AddIngress(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<IngressOptions>().BindConfiguration(IngressOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<IngressOptions>, IngressOptionsValidator>();
        builder.Services.AddSingleton<IngressRateLimiter>();
        builder.Services.AddSingleton<ConfirmedSender>();
        return builder;
    }

    /// <summary>
    /// When enabled: binds the ingress port besides the worker's own addresses, serves <c>/v1/…</c> only there, and
    /// nothing else there (health and callbacks stay on the worker's addresses).
    /// </summary>
    public static WebApplication MapIngress(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<IngressOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }

        // Adding an address replaces the configured ones, so they are added first, as Kestrel would have read them.
        foreach (var url in WorkerUrls(app.Configuration))
        {
            if (Port(url) == options.Port)
            {
                throw new Hosting.BridgeConfigurationException(
                    $"{IngressOptions.Section}:Port ({options.Port}) must differ from the port of the worker's own address {url} (health, callbacks).");
            }

            app.Urls.Add(url);
        }

        app.Urls.Add($"http://{FormatHost(options.BindAddress)}:{options.Port}");
        app.Use(async (context, next) =>
        {
            var onIngressPort = context.Connection.LocalPort == options.Port;
            if (onIngressPort != context.Request.Path.StartsWithSegments("/v1"))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await next(context);
        });
        app.MapPost(EventsPath, (HttpContext context, EventIngress ingress) => ingress.AcceptAsync(context.Request, context.RequestAborted));
        app.MapGet(EventsPath + "/{id:guid}", (Guid id, HttpContext context, EventFollower follower) =>
            follower.FollowAsync(id, EventIngress.BearerToken(context.Request), context.RequestAborted));
        app.MapPost(BitbucketWebhookPath, (HttpContext context, Webhooks.WebhookIngress webhooks) => webhooks.AcceptAsync(context.Request, context.RequestAborted));
        return app;
    }

    private static IEnumerable<string> WorkerUrls(IConfiguration configuration)
    {
        var urls = configuration[WebHostDefaults.ServerUrlsKey];
        if (!string.IsNullOrWhiteSpace(urls))
        {
            return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        var ports = configuration[WebHostDefaults.HttpPortsKey];
        if (!string.IsNullOrWhiteSpace(ports))
        {
            return ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}");
        }

        return ["http://localhost:5000"];
    }

    private static int? Port(string url) =>
        Uri.TryCreate(url.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            ? uri.Port
            : null;

    private static string FormatHost(string address) => address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;
}
