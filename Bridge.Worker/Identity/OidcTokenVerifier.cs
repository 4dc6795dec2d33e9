using Bridge.Worker.Bitbucket;
using Bridge.Worker.Triggers;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Worker.Identity;

/// <summary>
/// Verifies a Bitbucket Pipelines OIDC token: the workspace is allow-listed, the token is RS256 and signed by one of
/// the workspace's published keys, issuer and audience are the configured ones, it is within its lifetime (with
/// <c>ClockSkew</c>), and its workspace, repository, pipeline, step and branch are the expected ones. Refusals say
/// what failed, never the token.
/// </summary>
internal sealed class OidcTokenVerifier(IOptions<IdentityOptions> options, SigningKeyCache keys, TimeProvider time) : ITokenVerifier
{
    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<TokenVerdict> VerifyAsync(string token, ExpectedIdentity expected, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var settings = options.Value;
        var slug = expected.Workspace.Slug;
        var workspace = settings.Workspaces.FirstOrDefault(w => string.Equals(w.Key, slug, StringComparison.OrdinalIgnoreCase)).Value;
        if (workspace is null)
        {
            return Refuse(RejectReasons.WorkspaceNotAllowed, $"workspace '{slug}' is not on the allow-list ({IdentityOptions.Section}:Workspaces)");
        }

        if (!BitbucketUuid.Same(workspace.Uuid, expected.Workspace.Uuid))
        {
            return Refuse(RejectReasons.WorkspaceNotAllowed, $"the event's workspace.uuid {expected.Workspace.Uuid} is not the UUID allow-listed for '{slug}'");
        }

        if (Read(token) is not { } jwt)
        {
            return Refuse(RejectReasons.TokenMalformed, "oidcToken is not a JWT");
        }

        if (CheckHeader(jwt, workspace.IssuerFor(slug)) is { } refused)
        {
            return refused;
        }

        var issuedAt = Time(jwt, "iat");
        var key = await keys.FindAsync(slug, workspace, jwt.Kid, issuedAt, cancellationToken);
        if (key is null)
        {
            return Refuse(RejectReasons.UnknownKid, $"workspace {slug} publishes no signing key with the token's kid");
        }

        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = workspace.IssuerFor(slug),
            ValidAudiences = workspace.AudiencesOrDefault(),
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidateLifetime = false, // checked below against the injected clock
            RequireExpirationTime = false,
            RequireSignedTokens = true,
            TryAllIssuerSigningKeys = false,
        });
        if (!result.IsValid)
        {
            return Refused(result.Exception);
        }

        var bound = Bind(jwt, expected, workspace);
        return bound.Identity is { } identity ? CheckLifetime(jwt, identity, sentAt, settings.ClockSkew) : bound.Refusal!;
    }

    private static JsonWebToken? Read(string text)
    {
        try
        {
            return new JsonWebToken(text);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException)
        {
            return null;
        }
    }

    private static TokenVerdict? CheckHeader(JsonWebToken token, string issuer)
    {
        if (string.IsNullOrEmpty(token.Alg) || string.Equals(token.Alg, "none", StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(RejectReasons.AlgNone, "the token is unsigned (alg none)");
        }

        if (token.Alg != SecurityAlgorithms.RsaSha256)
        {
            return Refuse(RejectReasons.AlgNotAllowed, $"the token is signed with {Printable(token.Alg)}; Bitbucket signs RS256 only");
        }

        if (!string.Equals(token.Issuer, issuer, StringComparison.Ordinal))
        {
            return Refuse(RejectReasons.WrongIssuer, $"the token's issuer is not {issuer}");
        }

        return string.IsNullOrEmpty(token.Kid) ? Refuse(RejectReasons.UnknownKid, "the token names no signing key (kid)") : null;
    }

    private static Bound Bind(JsonWebToken token, ExpectedIdentity expected, TrustedWorkspace workspace)
    {
        var workspaceUuid = Claim(token, "workspaceUuid");
        if (!BitbucketUuid.Same(workspaceUuid, expected.Workspace.Uuid) || !BitbucketUuid.Same(workspaceUuid, workspace.Uuid))
        {
            return Refuse(RejectReasons.WorkspaceMismatch, $"the token is of another workspace than {expected.Workspace.Uuid}");
        }

        var repositoryUuid = Claim(token, "repositoryUuid");
        if (!BitbucketUuid.Same(repositoryUuid, expected.Repository.Uuid))
        {
            return Refuse(RejectReasons.RepositoryMismatch, $"the token is of another repository than {expected.Repository.FullName} {expected.Repository.Uuid}");
        }

        var pipelineUuid = Claim(token, "pipelineUuid");
        if (expected.PipelineUuid is { } pipeline && !BitbucketUuid.Same(pipelineUuid, pipeline))
        {
            return Refuse(RejectReasons.PipelineMismatch, $"the token is of another pipeline than {pipeline}");
        }

        var stepUuid = Claim(token, "stepUuid");
        if (expected.StepUuid is { } step && !BitbucketUuid.Same(stepUuid, step))
        {
            return Refuse(RejectReasons.StepMismatch, $"the token is of another step than {step}");
        }

        var branch = Claim(token, "branchName");
        if (expected.Branch is { } expectedBranch && !string.Equals(branch, expectedBranch, StringComparison.Ordinal))
        {
            return Refuse(RejectReasons.BranchMismatch, $"the token's pipeline ran on another branch than {expectedBranch}");
        }

        return new VerifiedIdentity
        {
            WorkspaceUuid = workspaceUuid!,
            RepositoryUuid = repositoryUuid!,
            PipelineUuid = pipelineUuid ?? string.Empty,
            StepUuid = stepUuid ?? string.Empty,
            BranchName = branch,
            DeploymentEnvironment = Claim(token, "deploymentEnvironmentUuid") ?? Claim(token, "deploymentEnvironment"),
            ExpiresAt = Time(token, "exp") ?? DateTimeOffset.MinValue,
        };
    }

    private TokenVerdict CheckLifetime(JsonWebToken token, VerifiedIdentity identity, DateTimeOffset sentAt, TimeSpan skew)
    {
        var now = time.GetUtcNow();
        if (Time(token, "exp") is not { } expires)
        {
            return Refuse(RejectReasons.TokenMalformed, "the token has no exp");
        }

        if (Time(token, "nbf") is { } notBefore && notBefore > now + skew)
        {
            return Refuse(RejectReasons.NotYetValid, $"the token is not valid before {notBefore:O}");
        }

        var issuedAt = Time(token, "iat");
        if (issuedAt > now + skew)
        {
            return Refuse(RejectReasons.NotYetValid, $"the token was issued in the future ({issuedAt:O})");
        }

        if (now <= expires + skew)
        {
            return new TokenVerdict.Verified(identity);
        }

        return sentAt >= (issuedAt ?? expires) - skew && sentAt <= expires + skew
            ? new TokenVerdict.ExpiredInQueue(identity, now - sentAt)
            : Refuse(RejectReasons.Expired, $"the token expired at {expires:O}, before the message was sent");
    }

    private static string? Claim(JsonWebToken token, string name) =>
        token.TryGetPayloadValue<string>(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static DateTimeOffset? Time(JsonWebToken token, string name) =>
        token.TryGetPayloadValue<long>(name, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static string Printable(string value) => value.Length <= 16 && value.All(char.IsAsciiLetterOrDigit) ? value : "an unknown algorithm";

    private static TokenVerdict.Refused Refuse(string reason, string why) => new(Rejection.Of(reason, why));

    private static TokenVerdict.Refused Refused(Exception? validation) => validation switch
    {
        SecurityTokenInvalidAudienceException => Refuse(RejectReasons.WrongAudience, "the token's audience is not one this workspace accepts"),
        SecurityTokenInvalidIssuerException => Refuse(RejectReasons.WrongIssuer, "the token's issuer is not the workspace's"),
        SecurityTokenInvalidAlgorithmException => Refuse(RejectReasons.AlgNotAllowed, "the token is not signed RS256"),
        SecurityTokenMalformedException => Refuse(RejectReasons.TokenMalformed, "oidcToken is not a well-formed JWT"),
        _ => Refuse(RejectReasons.BadSignature, "the token's signature does not verify with the workspace's key"),
    };

    /// <summary>The identity a token is bound to, or why it is not.</summary>
    private readonly record struct Bound(VerifiedIdentity? Identity, TokenVerdict.Refused? Refusal)
    {
        public static implicit operator Bound(VerifiedIdentity identity) => new(identity, null);

        public static implicit operator Bound(TokenVerdict.Refused refusal) => new(null, refusal);
    }
}
