namespace Bridge.Worker.Observability;

/// <summary>Where Bridge's metrics and traces go (OpenTelemetry).</summary>
internal sealed class OpenTelemetryOptions
{
    public const string Section = "Bridge:Telemetry";

    /// <summary>The resource's <c>service.name</c> on every metric and span.</summary>
    public string ServiceName { get; set; } = "bridge";

    /// <summary>Serve the metrics in Prometheus' text format on <c>/metrics</c> of the worker's HTTP port.</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>An OTLP collector (e.g. <c>http://otel-collector:4317</c>); metrics and traces are sent there. None: no export, no traces.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (port 4317 by convention) or <c>http/protobuf</c> (4318).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>The setting's errors, each naming it.</summary>
    public IReadOnlyList<string> Problems()
    {
        List<string> problems = [];
        if (string.IsNullOrWhiteSpace(ServiceName))
        {
            problems.Add($"{Section}:ServiceName must not be empty");
        }

        if (!string.IsNullOrEmpty(OtlpEndpoint)
            && (!Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            problems.Add($"{Section}:OtlpEndpoint must be an absolute http:// or https:// URL (got '{OtlpEndpoint}')");
        }

        if (OtlpProtocol is not ("grpc" or "http/protobuf"))
        {
            problems.Add($"{Section}:OtlpProtocol must be 'grpc' or 'http/protobuf' (got '{OtlpProtocol}')");
        }

        return problems;
    }
}
