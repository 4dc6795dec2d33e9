namespace Bridge.Worker.Credentials;

/// <summary>Temporary AWS credentials for one event and route. <see cref="ToString"/> shows no secret.</summary>
internal sealed class AwsSession(string accessKeyId, string secretAccessKey, string sessionToken, DateTimeOffset expiration, string region, string assumedRoleArn)
{
    public string AccessKeyId { get; } = accessKeyId;

    public string SecretAccessKey { get; } = secretAccessKey;

    public string SessionToken { get; } = sessionToken;

    public DateTimeOffset Expiration { get; } = expiration;

    public string Region { get; } = region;

    public string AssumedRoleArn { get; } = assumedRoleArn;

    public override string ToString() => $"AWS session {AssumedRoleArn} until {Expiration:O}";
}
