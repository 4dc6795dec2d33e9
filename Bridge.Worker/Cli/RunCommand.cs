using System.CommandLine;
using Bridge.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Cli;

/// <summary><c>bridge run</c>: consume events until stopped.</summary>
internal static class RunCommand
{
    public const int ConfigurationError = 2;

    public static Command Create()
    {
        var routes = new Option<FileInfo?>("--routes")
        {
            Description = "The routes file (YAML); the same as the setting Bridge:Routing:File.",
        };
        var command = new Command(
            "run",
            "Consume PipelineEvents from the queue: start a Prefect flow run per matching route and mark the commit INPROGRESS. "
            + "Settings come from appsettings.json, environment variables (Bridge__Prefect__ApiUrl=…) and --Key=value arguments "
            + "(--Bridge:Prefect:ApiUrl=…); see README.md for the configuration reference.")
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
            await app.RunAsync(cancellationToken);
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("bridge: the configuration is not valid:");
            foreach (var failure in ex.Failures)
            {
                await Console.Error.WriteLineAsync($"  - {failure}");
            }

            return ConfigurationError;
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Bridge:", StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"bridge: the configuration is not valid:{Environment.NewLine}  - {ex.Message}");
            return ConfigurationError;
        }
    }
}
