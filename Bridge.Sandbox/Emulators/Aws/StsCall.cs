namespace Bridge.Sandbox.Emulators.Aws;

/// <summary>
/// One request to the STS emulator, whatever it was answered: the form fields (never the token itself), the
/// SDK's <c>amz-sdk-request</c> attempt number, the token's <c>sub</c> when it could be read, and the answer.
/// </summary>
public sealed record StsCall(
    string? Action,
    string? RoleArn,
    string? RoleSessionName,
    int? DurationSeconds,
    string? Policy,
    IReadOnlyList<string> PolicyArns,
    string? Subject,
    int? Attempt,
    string? ErrorCode,
    StsIssuedCredentials? Issued,
    DateTimeOffset At);
