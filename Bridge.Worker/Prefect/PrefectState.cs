namespace Bridge.Worker.Prefect;

/// <summary>The part of Prefect's <c>State</c> Bridge reads.</summary>
internal sealed record PrefectState
{
    public string? Type { get; init; }

    public string? Name { get; init; }

    public string? Message { get; init; }

    public DateTimeOffset? Timestamp { get; init; }
}
