using System.CommandLine;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Correlation;
using Bridge.Worker.Doctor;
using Bridge.Worker.Hosting;
using Bridge.Worker.Identity;
using Bridge.Worker.Prefect;
using Bridge.Worker.Queue;
using Bridge.Worker.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.Worker.Cli;

/// <summary>
/// <c>bridge doctor</c>: with the settings <c>bridge run</c> would use, prints them with their sources (secrets masked)
/// and checks each upstream the worker needs, one line per check; exits 0 when all pass, <see cref="CheckFailed"/> when
/// any fails, <see cref="RunCommand.ConfigurationError"/> when the settings are not valid.
/// </summary>
internal static class DoctorCommand
{
    public const int CheckFailed = 1;

    public static Command Create()
    {
        var routes = new Option<FileInfo?>("--routes") { Description = "The routes file (YAML); the same as the setting Bridge:Routing:File." };
        var repository = new Option<string?>("--repository")
        {
            Description = "Also check that the Bitbucket credential can read this repository's pipelines and commit statuses (workspace/slug).",
            HelpName = "workspace/slug",
        };
        repository.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && Split(value) is null)
            {
                result.AddError($"--repository: '{value}' is not workspace/slug");
            }
        });
        var timeout = Durations.Option("--timeout", "How long each check may take before it fails", TimeSpan.FromSeconds(10));
        timeout.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && Durations.TryParse(result.Tokens[0].Value, out var value) && value <= TimeSpan.Zero)
            {
                result.AddError("--timeout must be longer than 0s");
            }
        });
        var command = new Command(
            "doctor",
            "Check the deployment from here with the settings 'bridge run' would use: print them with their sources (secrets masked), "
            + "then one line per check: the broker answers, Prefect accepts the credentials and every routed deployment exists with an "
            + "ONLINE worker in its work pool, the Bitbucket credential reads --repository, and each allow-listed workspace's OIDC keys can be fetched. "
            + $"Exits 0 when every check passes, {CheckFailed} when one fails, {RunCommand.ConfigurationError} when the settings are not valid. "
            + "Settings as for 'bridge run' (appsettings.json, environment variables, --Key=value arguments).")
        {
            routes,
            repository,
            timeout,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) =>
        {
            var settings = new List<string>(result.UnmatchedTokens);
            if (result.GetValue(routes) is { } file)
            {
                settings.Add($"--Bridge:Routing:File={file.FullName}");
            }

            return RunAsync([.. settings], result.GetValue(repository), result.GetValue(timeout), Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(
        string[] settings, string? repository, TimeSpan timeout, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        WebApplication app;
        try
        {
            app = BridgeWorkerHost.Build(settings, configure: Quiet);
        }
        catch (BridgeConfigurationException invalid)
        {
            await error.WriteLineAsync("bridge: the configuration is not valid:");
            foreach (var line in invalid.Errors)
            {
                await error.WriteLineAsync($"  - {line}");
            }

            return RunCommand.ConfigurationError;
        }

        await using (app)
        {
            EffectiveSettings.Write((IConfigurationRoot)app.Configuration, output);
            output.WriteLine("Checks:");
            var report = new DoctorReport(output, timeout);
            await CheckAsync(app.Services, repository, report, cancellationToken);
            output.WriteLine(report.Failures == 0 ? $"All {report.Checks} checks passed." : $"{report.Failures} of {report.Checks} checks FAILED.");
            return report.Failures == 0 ? 0 : CheckFailed;
        }
    }

    private static async Task CheckAsync(IServiceProvider services, string? repository, DoctorReport report, CancellationToken cancellationToken)
    {
        var broker = services.GetRequiredService<IOptions<BrokerOptions>>().Value;
        await report.RunAsync(BrokerCheck.Name, $"{BrokerOptions.Section}:Url", token => BrokerCheck.RunAsync(broker, report, token), cancellationToken);

        var prefect = new PrefectCheck(
            services.GetRequiredService<IPrefectClient>(),
            services.GetRequiredService<IOptions<PrefectOptions>>().Value,
            services.GetRequiredService<IOptions<CorrelationOptions>>().Value.WatermarkVariable,
            services.GetRequiredService<RouteTable>(),
            report);
        await prefect.RunAsync(cancellationToken);

        if (repository is not null && Split(repository) is var (workspace, slug))
        {
            await new BitbucketCheck(services.GetRequiredService<IBitbucketClient>(), workspace, slug, report).RunAsync(cancellationToken);
        }

        var identity = services.GetRequiredService<IOptions<IdentityOptions>>().Value;
        await OidcCheck.RunAsync(services.GetRequiredService<SigningKeyCache>(), identity, report, cancellationToken);
    }

    /// <summary>The worker's own log lines (key fetches, retries) stay out of the report.</summary>
    private static void Quiet(WebApplicationBuilder builder)
    {
        builder.Services.RemoveAll<ILoggerFactory>();
        builder.Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
    }

    private static (string Workspace, string Slug)? Split(string repository) =>
        repository.Split('/') is [{ Length: > 0 } workspace, { Length: > 0 } slug] ? (workspace, slug) : null;
}
