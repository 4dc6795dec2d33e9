namespace Bridge.Sandbox.Emulators.Aws;

/// <summary>Temporary credentials the emulator handed out, and to whom (the token's <c>sub</c>).</summary>
public sealed record StsIssuedCredentials(
    string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration, string RoleArn, string Subject, string AssumedRoleArn);
