namespace Bridge.Worker.Credentials;

/// <summary><c>Bridge:Credentials:Issuer</c>: Bridge as a token-exchange issuer of client assertions for Entra.</summary>
internal sealed class IssuerOptions
{
    /// <summary>The issuer URL (the assertions' <c>iss</c>); its discovery document is <c>{Url}/.well-known/openid-configuration</c>.</summary>
    public string? Url { get; set; }

    /// <summary>PEM RSA private keys (2048 bits or more). The first signs; every one is published in the JWKS (rotation).</summary>
    public List<string> SigningKeyFiles { get; set; } = [];

    /// <summary>The assertions' <c>aud</c>: what the federated credentials expect.</summary>
    public string Audience { get; set; } = "api://AzureADTokenExchange";

    public TimeSpan AssertionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Serve the discovery document and JWKS on the worker's HTTP port, under the issuer URL's path.</summary>
    public bool Serve { get; set; } = true;
}
