namespace Bridge.Worker.Credentials;

/// <summary>A route's <c>credentials.azure</c>: the app registration to get a token as, and which assertion proves it.</summary>
internal sealed record AzureRoute
{
    public required string TenantId { get; init; }

    public required string ClientId { get; init; }

    /// <summary>e.g. <c>https://management.azure.com/.default</c>.</summary>
    public required string Scope { get; init; }

    public AzureAssertion Assertion { get; init; } = AzureAssertion.Bridge;
}
