namespace Bridge.Worker.Credentials;

/// <summary>How Bridge exchanges step tokens for cloud credentials (<c>Bridge:Credentials</c>); the routes say for what.</summary>
internal sealed class CredentialsOptions
{
    public const string Section = "Bridge:Credentials";

    public AwsCredentialsOptions Aws { get; set; } = new();

    public AzureCredentialsOptions Azure { get; set; } = new();

    public IssuerOptions Issuer { get; set; } = new();
}
