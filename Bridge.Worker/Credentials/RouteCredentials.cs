namespace Bridge.Worker.Credentials;

/// <summary>A route's <c>credentials:</c> block: which clouds to exchange the step token with, and how the run gets them.</summary>
internal sealed record RouteCredentials
{
    public AwsRoute? Aws { get; init; }

    public AzureRoute? Azure { get; init; }

    public CredentialDelivery Delivery { get; init; } = CredentialDelivery.Env;
}
