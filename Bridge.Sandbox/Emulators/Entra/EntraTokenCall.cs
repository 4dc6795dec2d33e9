namespace Bridge.Sandbox.Emulators.Entra;

/// <summary>
/// One request to the token endpoint: tenant, client, scope, the assertion's iss and sub, the answer's error and AADSTS
/// code, and the token issued, if any. <see cref="Assertion"/> is kept so that leak tests can search for it.
/// </summary>
public sealed record EntraTokenCall(
    string Tenant,
    string? ClientId,
    string? Scope,
    string? AssertionIssuer,
    string? AssertionSubject,
    string? Error,
    int? ErrorCode,
    string? AccessToken,
    DateTimeOffset At)
{
    public string? Assertion { get; init; }
}
