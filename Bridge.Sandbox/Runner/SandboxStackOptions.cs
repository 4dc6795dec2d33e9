using Bridge.Worker.Queue;

namespace Bridge.Sandbox.Runner;

/// <summary>What the sandbox stack runs on: the broker, the routes, and any extra worker settings.</summary>
internal sealed record SandboxStackOptions
{
    public BrokerTransport Transport { get; init; } = BrokerTransport.InMemory;

    public string? BrokerUrl { get; init; }

    public string Queue { get; init; } = "bridge-sandbox-events";

    /// <summary>The routes file's text (YAML).</summary>
    public required string RoutesYaml { get; init; }

    /// <summary>Settings that win over the stack's own (e.g. shorter retry intervals in tests).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Last changes to the worker's builder, e.g. a log provider that captures every line.</summary>
    public Action<WebApplicationBuilder>? ConfigureWorker { get; init; }
}
