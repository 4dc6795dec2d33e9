using Bridge.Worker.Bitbucket;
using Bridge.Worker.Correlation;
using Bridge.Worker.Credentials;
using Bridge.Worker.Dispatch;
using Bridge.Worker.Identity;
using Bridge.Worker.Ingress;
using Bridge.Worker.Observability;
using Bridge.Worker.PipelineEvents;
using Bridge.Worker.Prefect;
using Bridge.Worker.Queue;
using Bridge.Worker.Routing;
using Bridge.Worker.Webhooks;
using Bridge.Worker.Http;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Bridge.Worker.Hosting;

internal static class BridgeWorkerExtensions
{
    /// <summary>The worker's parts. The CLI, the sandbox and the tests all compose the worker through this one method.</summary>
    public static WebApplicationBuilder AddBridgeWorker(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddObservability();
        builder.AddRouting();
        builder.AddIdentity();
        builder.AddPrefect();
        builder.AddBitbucket();
        builder.AddCredentials();
        builder.AddDispatch();
        builder.AddPipelineEvents();
        builder.AddCorrelation();
        builder.AddQueue();
        builder.AddIngress();
        builder.AddWebhooks();
        builder.Services.AddHealthChecks().AddCheck<UpstreamCredentialsHealthCheck>(UpstreamCredentialsHealthCheck.Name, tags: ["ready"]);
        builder.Services.AddHostedService<WorkerStartupLog>();
        builder.Services.AddHostedService<ListeningLog>();
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c> (the process answers) and <c>/health/ready</c> (the bus is connected and consuming, and neither
    /// Prefect nor Bitbucket refused Bridge's credentials on its latest answer).
    /// </summary>
    public static WebApplication MapBridgeEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OpenTelemetryOptions>>().Value.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint("/metrics");
        }

        app.MapCorrelationEndpoints();
        app.MapCredentialEndpoints();
        app.MapIngress();
        return app;
    }
}
