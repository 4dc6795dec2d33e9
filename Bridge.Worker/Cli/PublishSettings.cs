namespace Bridge.Worker.Cli;

/// <summary>What <c>bridge publish</c> was asked to do.</summary>
internal sealed record PublishSettings
{
    /// <summary>The worker's ingress (<c>https://bridge.example.com</c>): where to send the event, and where <c>--wait</c> follows it.</summary>
    public Uri? Ingress { get; init; }

    /// <summary>The broker, for self-hosted runners inside the network; the password is a secret.</summary>
    public Uri? Amqp { get; init; }

    public string Queue { get; init; } = "bridge-pipeline-events";

    public bool Wait { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    public bool DryRun { get; init; }
}
