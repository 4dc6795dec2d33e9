using Bridge.Sandbox.Runner;
using Bridge.Tests.Infrastructure;
using Bridge.Worker.Intake;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.EndToEnd;

/// <summary>Starts the real worker on the test broker (a queue of its own) with the emulators behind it.</summary>
internal static class WorkerOnBroker
{
    public const string Routes = """
        routes:
          - name: release
            match: { repository: "acme/*", events: [tag], ref: "v*" }
            deployment: release-flow/production
            parameters:
              commit: "{{ commit }}"
              version: "{{ ref.name }}"
              build_number: "{{ buildNumber }}"
              pull_request: "{{ pullRequestId }}"
              dry_run: false
            tags: [release]
            statusName: "Release (Prefect)"
          - name: merge-checks
            match: { repository: "acme/*", events: [merge], ref: main }
            deployment: checks-flow/default
            parameters: { commit: "{{ commit }}", pull_request: "{{ pullRequestId }}" }
            statusName: "Checks (Prefect)"
          - name: docs
            match: { repository: "acme/api", events: [merge], ref: main }
            deployment: docs-flow/default
            parameters: { commit: "{{ commit }}" }
        """;

    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <param name="logs">Receives every worker log line, down to Trace.</param>
    /// <param name="routes">The routes file's text; <see cref="Routes"/> when not given.</param>
    /// <param name="settings">Worker settings that win over the ones below (e.g. Bridge:Bitbucket:MaxRetries).</param>
    public static async Task<SandboxStack> StartAsync(
        RabbitMqBroker broker, ILoggerProvider? logs = null, string routes = Routes, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Bridge:Broker:RetryLimit"] = "2",
            ["Bridge:Broker:RetryMinInterval"] = "00:00:00.050",
            ["Bridge:Broker:RetryMaxInterval"] = "00:00:00.200",
            ["Bridge:Prefect:RetryBaseDelay"] = "00:00:00.020",
            ["Bridge:Bitbucket:RetryBaseDelay"] = "00:00:00.020",
            ["Serilog:MinimumLevel:Default"] = logs is null ? "Warning" : "Verbose",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var stack = await SandboxStack.StartAsync(
            new SandboxStackOptions
            {
                Transport = BrokerTransport.RabbitMq,
                BrokerUrl = broker.AmqpUri.ToString(),
                Queue = $"bridge-test-{Guid.NewGuid():N}",
                RoutesYaml = routes,
                Settings = all,
                ConfigureWorker = logs is null ? null : builder => AddLogProvider(builder, logs),
            },
            CancellationToken.None);
        stack.Prefect.AddDeployment("release-flow", "production", parameters: new() { ["environment"] = "prod" }, tags: ["deploy"]);
        stack.Prefect.AddDeployment("checks-flow", "default");
        stack.Prefect.AddDeployment("docs-flow", "default");
        return stack;
    }

    /// <summary>
    /// Adds a log provider that sees every level: without its own filter rule a provider only gets Information and
    /// above (the logging default), whatever Serilog's minimum level says.
    /// </summary>
    private static void AddLogProvider(WebApplicationBuilder builder, ILoggerProvider logs)
    {
        builder.Logging.AddProvider(logs);
        builder.Services.Configure<LoggerFilterOptions>(filters =>
            filters.Rules.Add(new LoggerFilterRule(logs.GetType().FullName, categoryName: null, LogLevel.Trace, filter: null)));
    }
}
