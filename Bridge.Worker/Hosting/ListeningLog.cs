using Bridge.Worker.Correlation;
using Bridge.Worker.Credentials;
using Bridge.Worker.Ingress;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Hosting;

/// <summary>
/// Once the server listens: one line per address and what it serves (health, the Prefect callback, Bridge's issuer on the
/// worker's addresses; the ingress on its own port). ASP.NET Core's own "Now listening on" is below the default level.
/// </summary>
internal sealed class ListeningLog(
    IServer server,
    IHostApplicationLifetime lifetime,
    IOptions<IngressOptions> ingress,
    IOptions<Observability.OpenTelemetryOptions> telemetry,
    IOptions<CorrelationOptions> correlation,
    IOptions<CredentialsOptions> credentials,
    BridgeAssertionIssuer issuer,
    ILogger<ListeningLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Log);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Log()
    {
        foreach (var address in server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            logger.LogInformation("Listening on {Address}: {Serves}", address, Serves(address));
        }
    }

    private string Serves(string address)
    {
        var options = ingress.Value;
        if (options.Enabled && Uri.TryCreate(address, UriKind.Absolute, out var url) && url.Port == options.Port)
        {
            return $"the ingress (POST {IngressExtensions.EventsPath}, GET {IngressExtensions.EventsPath}/{{id}}, POST {IngressExtensions.BitbucketWebhookPath})";
        }

        var parts = new List<string> { "health (/health/live, /health/ready)" };
        if (telemetry.Value.Prometheus)
        {
            parts.Add("metrics (/metrics)");
        }

        if (!string.IsNullOrEmpty(correlation.Value.CallbackSecret))
        {
            parts.Add($"the Prefect callback (POST {correlation.Value.CallbackPath})");
        }

        if (issuer.IsConfigured && credentials.Value.Issuer.Serve)
        {
            parts.Add($"Bridge's issuer ({issuer.DiscoveryPath}, {issuer.JwksPath})");
        }

        return string.Join(", ", parts);
    }
}
