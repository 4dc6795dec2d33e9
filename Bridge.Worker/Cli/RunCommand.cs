using System.CommandLine;
using Bridge.Worker.Hosting;

namespace Bridge.Worker.Cli;

/// <summary><c>bridge run</c>: consume events until stopped.</summary>
internal static class RunCommand
{
    public const int ConfigurationError = 2;

    public const int BrokerUnreachable = 3;

    public const int QueueRefused = 6;

    public static Command Create()
    {
        var routes = new Option<FileInfo?>("--routes")
        {
            Description = "The routes file (YAML); the same as the setting Bridge:Routing:File.",
        };
        var command = new Command(
            "run",
            "Consume PipelineEvents from the queue: verify each, start a Prefect flow run per matching route and report its outcome on the commit as a build status. "
            + "With Bridge:Ingress:Enabled=true it also accepts events over HTTPS (POST /v1/events) and, for the hooks listed in "
            + "Bridge:Webhooks:Hooks, signed Bitbucket webhooks (POST /v1/webhooks/bitbucket). "
            + "Settings come from appsettings.json, environment variables (Bridge__Prefect__ApiUrl=…) and --Key=value arguments "
            + "(--Bridge:Prefect:ApiUrl=…); see docs/configuration.md for the configuration reference.")
        {
            routes,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) =>
        {
            var settings = new List<string>(result.UnmatchedTokens);
            if (result.GetValue(routes) is { } file)
            {
                settings.Add($"--Bridge:Routing:File={file.FullName}");
            }

            return RunAsync([.. settings], cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(string[] settings, CancellationToken cancellationToken)
    {
        try
        {
            await using var app = BridgeWorkerHost.Build(settings);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch
            {
                // Stopped, not only disposed: background services already running end as on a normal stop, instead of each
                // logging its cancellation as a failure (and a Fatal "stopping the host").
                await app.StopAsync(CancellationToken.None);
                throw;
            }

            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        }
        catch (BridgeConfigurationException invalid)
        {
            await Console.Error.WriteLineAsync("bridge: the configuration is not valid:");
            foreach (var error in invalid.Errors)
            {
                await Console.Error.WriteLineAsync($"  - {error}");
            }

            return ConfigurationError;
        }
        catch (Exception ex) when (Queue.QueueDeclarationRefusal.Find(ex) is { } refusal)
        {
            await Console.Error.WriteLineAsync($"bridge: {refusal}");
            return QueueRefused;
        }
        catch (Exception ex) when (Unreachable(ex) is { } why)
        {
            // The URL carries the broker password: name only where it points.
            await Console.Error.WriteLineAsync(
                $"bridge: cannot reach RabbitMQ ({Queue.BrokerOptions.Section}:Url, within {Queue.BrokerOptions.Section}:StartTimeout): {why}");
            return BrokerUnreachable;
        }
    }

    /// <summary>The broker's own words when start-up failed because RabbitMQ could not be reached, else null.</summary>
    private static string? Unreachable(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is MassTransit.RabbitMqConnectionException or Queue.BrokerUnreachableAtStartException)
            {
                return e.Message;
            }
        }

        return null;
    }
}
