using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Contracts;
using Bridge.Worker.Ingress;

namespace Bridge.Worker.Cli;

internal static partial class PublishCommand
{
    /// <summary>The verb's work, with the environment and the console passed in (the tests run it in-process).</summary>
    public static async Task<int> RunAsync(
        PublishSettings settings, Func<string, string?> variable, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var problems = SettingsProblems(settings);
        var (message, errors) = PipelineVariables.Read(variable, time.GetUtcNow());
        problems.AddRange(errors);
        if (problems.Count > 0)
        {
            await error.WriteLineAsync("bridge publish: cannot publish:");
            foreach (var problem in problems)
            {
                await error.WriteLineAsync($"  - {problem}");
            }

            return RunCommand.ConfigurationError;
        }

        if (settings.DryRun)
        {
            await output.WriteLineAsync($"Would send to {Target(settings)}:");
            await output.WriteLineAsync(Redacted(message!));
            return 0;
        }

        var sent = settings.Amqp is not null
            ? await SendToBrokerAsync(settings, message!, output, error, cancellationToken)
            : await SendToIngressAsync(settings.Ingress!, message!, output, error, cancellationToken);
        if (sent != 0 || !settings.Wait)
        {
            return sent;
        }

        return await WaitAsync(settings, message!.EventId!.Value, message.OidcToken, output, error, time, cancellationToken);
    }

    private static List<string> SettingsProblems(PublishSettings settings)
    {
        var problems = new List<string>();
        if (settings.Ingress is null && settings.Amqp is null)
        {
            problems.Add("Say where to send the event: --ingress https://bridge.example.com (or BRIDGE_INGRESS_URL), or --amqp amqp://… (or BRIDGE_AMQP_URL).");
        }

        if (settings.Ingress is { } ingress && ingress.Scheme is not ("http" or "https"))
        {
            problems.Add("--ingress must be an http(s) URL, e.g. https://bridge.example.com");
        }

        if (settings.Amqp is { } amqp && amqp.Scheme is not ("amqp" or "amqps"))
        {
            problems.Add("--amqp must be an amqp:// or amqps:// URL, e.g. amqp://user:password@rabbitmq.internal:5672/");
        }

        if (settings.Wait && settings.Ingress is null)
        {
            problems.Add("--wait follows the event through the ingress: give --ingress as well.");
        }

        if (settings.Timeout <= TimeSpan.Zero || settings.PollInterval <= TimeSpan.Zero)
        {
            problems.Add("--timeout and --poll-interval must be positive, e.g. 30m and 5s.");
        }

        return problems;
    }

    private static string Target(PublishSettings settings) => settings.Amqp is { } amqp
        ? $"RabbitMQ at {amqp.Host}:{(amqp.IsDefaultPort || amqp.Port < 0 ? 5672 : amqp.Port)}, queue {settings.Queue}"
        : Endpoint(settings.Ingress!, "v1/events").ToString();

    private static Uri Endpoint(Uri ingress, string relative) => new(new Uri(ingress.ToString().TrimEnd('/') + "/"), relative);

    /// <summary>The event as JSON with its token replaced by <c>***</c>.</summary>
    internal static string Redacted(PipelineEvent message)
    {
        var json = JsonSerializer.SerializeToNode(message, IngressJsonContext.Default.PipelineEvent)!.AsObject();
        json["oidcToken"] = "***";
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject WithoutToken(PipelineEvent message)
    {
        var json = JsonSerializer.SerializeToNode(message, IngressJsonContext.Default.PipelineEvent)!.AsObject();
        json.Remove("oidcToken");
        return json;
    }
}
