namespace Bridge.Sandbox.Emulators.Aws;

/// <summary>
/// An IAM role the STS emulator can assume with a web identity: its trust policy allows
/// <c>sts:AssumeRoleWithWebIdentity</c> for tokens of <see cref="Issuer"/> whose <c>aud</c> equals
/// <see cref="Audience"/> (StringEquals) and whose <c>sub</c> matches <see cref="SubjectPattern"/> (StringLike).
/// </summary>
public sealed record StsRole
{
    /// <summary><c>arn:aws:iam::123456789012:role/name</c>.</summary>
    public required string Arn { get; init; }

    /// <summary>The OIDC provider's issuer URL (the token's <c>iss</c>).</summary>
    public required string Issuer { get; init; }

    /// <summary>The <c>{provider}:aud</c> StringEquals condition.</summary>
    public required string Audience { get; init; }

    /// <summary>The <c>{provider}:sub</c> StringLike condition (<c>*</c> and <c>?</c> wildcards).</summary>
    public required string SubjectPattern { get; init; }

    /// <summary>The role's MaxSessionDuration (1–12 h); longer DurationSeconds fail with ValidationError.</summary>
    public int MaxSessionDurationSeconds { get; init; } = 3600;
}
