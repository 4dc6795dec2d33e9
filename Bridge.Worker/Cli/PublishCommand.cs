using System.CommandLine;

namespace Bridge.Worker.Cli;

/// <summary>
/// <c>bridge publish</c>: run in a Bitbucket Pipelines step with <c>oidc: true</c>; sends the step's merge or tag event
/// to the ingress (or straight to the broker) and, with <c>--wait</c>, follows its flow runs to their final state.
/// </summary>
internal static partial class PublishCommand
{
    public const int RunFailed = 1;
    public const int Refused = 4;
    public const int TimedOut = 5;

    public static Command Create()
    {
        var ingress = new Option<Uri?>("--ingress")
        {
            Description = "The Bridge ingress URL, e.g. https://bridge.example.com (also BRIDGE_INGRESS_URL).",
            CustomParser = result => ParseUrl(result, "--ingress"),
        };
        var amqp = new Option<Uri?>("--amqp")
        {
            Description = "Publish straight to RabbitMQ (self-hosted runners): amqp://user:password@host/vhost (also BRIDGE_AMQP_URL).",
            CustomParser = result => ParseUrl(result, "--amqp"),
        };
        var queue = new Option<string>("--queue") { Description = "The worker's queue (Bridge:Broker:Queue), with --amqp.", DefaultValueFactory = _ => "bridge-pipeline-events" };
        var wait = new Option<bool>("--wait")
        {
            Description = "Follow the event (through --ingress) until its flow runs finish, printing each state change with its link; exit 0 only if all completed, 1 if one did not.",
        };
        var timeout = Durations.Option("--timeout", "How long --wait waits", TimeSpan.FromMinutes(30));
        var poll = Durations.Option("--poll-interval", "How often --wait asks", TimeSpan.FromSeconds(5));
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the event that would be sent (token redacted) and send nothing." };
        var command = new Command(
            "publish",
            "Publish this pipeline step's merge or tag event to Bridge, from Bitbucket's variables (BITBUCKET_COMMIT, BITBUCKET_TAG or "
            + "BITBUCKET_BRANCH, BITBUCKET_STEP_OIDC_TOKEN…); the step needs `oidc: true`.")
        {
            ingress, amqp, queue, wait, timeout, poll, dryRun,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var settings = new PublishSettings
            {
                Ingress = result.GetValue(ingress) ?? FromEnvironment("BRIDGE_INGRESS_URL"),
                Amqp = result.GetValue(amqp) ?? FromEnvironment("BRIDGE_AMQP_URL"),
                Queue = result.GetValue(queue)!,
                Wait = result.GetValue(wait),
                Timeout = result.GetValue(timeout),
                PollInterval = result.GetValue(poll),
                DryRun = result.GetValue(dryRun),
            };
            return RunAsync(settings, Environment.GetEnvironmentVariable, Console.Out, Console.Error, TimeProvider.System, cancellationToken);
        });
        return command;
    }

    private static Uri? ParseUrl(System.CommandLine.Parsing.ArgumentResult result, string option)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            return url;
        }

        result.AddError($"{option} must be an absolute URL, e.g. {(option == "--amqp" ? "amqp://user:password@rabbitmq.internal:5672/" : "https://bridge.example.com")}");
        return null;
    }

    private static Uri? FromEnvironment(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text && Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null;
}
