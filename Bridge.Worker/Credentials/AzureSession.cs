namespace Bridge.Worker.Credentials;

/// <summary>An Entra access token for one event and route. <see cref="ToString"/> shows no secret.</summary>
internal sealed class AzureSession(string accessToken, DateTimeOffset expiresOn, string tenantId, string clientId)
{
    public string AccessToken { get; } = accessToken;

    public DateTimeOffset ExpiresOn { get; } = expiresOn;

    public string TenantId { get; } = tenantId;

    public string ClientId { get; } = clientId;

    public override string ToString() => $"Azure token for {ClientId} in {TenantId} until {ExpiresOn:O}";
}
