namespace Bridge.Sandbox.Emulators.Entra;

/// <summary>A federated identity credential on an app registration: the assertion's iss, sub and aud must equal these.</summary>
public sealed record FederatedCredential(string Issuer, string Subject, string Audience = "api://AzureADTokenExchange");
