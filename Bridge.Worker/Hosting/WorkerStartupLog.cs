using Bridge.Worker.Queue;
using Bridge.Worker.Routing;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Hosting;

/// <summary>Says once, at start, what the worker consumes and which routes it knows.</summary>
internal sealed class WorkerStartupLog(IOptions<BrokerOptions> broker, RouteTable routes, ILogger<WorkerStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var route in routes.Routes)
        {
            logger.LogInformation(
                "Route {Route}: {Kinds} events of {RepositoryPattern} on {RefPattern} → {Deployment}",
                route.Name,
                route.Match.Kinds.Count == 0 ? "all" : string.Join('/', route.Match.Kinds).ToLowerInvariant(),
                route.Match.RepositoryUuid ?? route.Match.Repository?.Pattern ?? "any repository",
                route.Match.Ref?.Pattern ?? "any ref",
                route.Deployment);
        }

        logger.LogInformation(
            "Bridge worker consuming {Queue} over {Transport} with {RouteCount} routes", broker.Value.Queue, broker.Value.Transport, routes.Routes.Count);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
