namespace Bridge.Worker.Credentials;

/// <summary>A route's <c>credentials.aws</c>: the role to assume with the step token, and what narrows it.</summary>
internal sealed record AwsRoute
{
    public required string RoleArn { get; init; }

    /// <summary>900–43,200 seconds (and at most the role's MaxSessionDuration).</summary>
    public int DurationSeconds { get; init; } = 3600;

    /// <summary>An inline session policy (JSON) that narrows the role for this session.</summary>
    public string? SessionPolicy { get; init; }

    /// <summary>Managed policy ARNs that narrow the role (at most 10).</summary>
    public IReadOnlyList<string> PolicyArns { get; init; } = [];

    /// <summary>The region handed to the run as <c>AWS_REGION</c>, and the STS region; null = <c>Bridge:Credentials:Aws:Region</c>.</summary>
    public string? Region { get; init; }
}
