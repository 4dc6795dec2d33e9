namespace Bridge.Worker.Credentials;

/// <summary><c>Bridge:Credentials:Aws</c>: the STS endpoint and Bridge's own retry policy around it.</summary>
internal sealed class AwsCredentialsOptions
{
    /// <summary>The STS endpoint; absent = the regional endpoint of the route's region (<c>https://sts.{region}.amazonaws.com</c>).</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The default region (STS and <c>AWS_REGION</c>) for routes that name none.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Attempts in all for IDPCommunicationError, throttling, 5xx and network errors (InvalidIdentityToken: at most 2).</summary>
    public int MaxAttempts { get; set; } = 4;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
