using Bridge.Contracts;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Worker.Identity;

/// <summary>
/// Verifies the event's Bitbucket Pipelines OIDC token: the workspace is allow-listed, the token is RS256 and signed
/// by one of the workspace's published keys, issuer and audience are the configured ones, it is within its lifetime
/// (with <c>ClockSkew</c>), and its workspace, repository, pipeline, step (and branch, for branch events) are the
/// event's. Exception messages say what failed, never the token.
/// </summary>
internal sealed class OidcEventVerifier(IOptions<IdentityOptions> options, SigningKeyCache keys, TimeProvider time) : IEventVerifier
{
    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<VerifiedIdentity> VerifyAsync(PipelineEvent message, DateTimeOffset? sentAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var slug = message.Workspace.Slug;
        var workspace = settings.Workspaces.FirstOrDefault(w => string.Equals(w.Key, slug, StringComparison.OrdinalIgnoreCase)).Value
            ?? throw Reject(RejectReasons.WorkspaceNotAllowed, $"workspace '{slug}' is not on the allow-list ({IdentityOptions.Section}:Workspaces)");
        if (!SameUuid(workspace.Uuid, message.Workspace.Uuid))
        {
            throw Reject(RejectReasons.WorkspaceNotAllowed, $"the event's workspace.uuid {message.Workspace.Uuid} is not the UUID allow-listed for '{slug}'");
        }

        var token = Read(message.OidcToken);
        var issuer = workspace.IssuerFor(slug);
        if (!string.Equals(token.Issuer, issuer, StringComparison.Ordinal))
        {
            throw Reject(RejectReasons.WrongIssuer, $"the token's issuer is not {issuer}");
        }

        if (string.IsNullOrEmpty(token.Kid))
        {
            throw Reject(RejectReasons.UnknownKid, "the token names no signing key (kid)");
        }

        var key = await keys.FindAsync(slug, workspace, token.Kid, cancellationToken)
            ?? throw Reject(RejectReasons.UnknownKid, $"workspace {slug} publishes no signing key with the token's kid");
        var result = await Handler.ValidateTokenAsync(message.OidcToken, new TokenValidationParameters
        {
            ValidIssuer = issuer,
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
            throw Reject(result.Exception);
        }

        var identity = Bind(message, token, workspace);
        CheckLifetime(token, identity, sentAt ?? message.OccurredAt, settings.ClockSkew);
        return identity;
    }

    private static JsonWebToken Read(string text)
    {
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(text);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException)
        {
            throw Reject(RejectReasons.TokenMalformed, "oidcToken is not a JWT");
        }

        if (string.IsNullOrEmpty(token.Alg) || string.Equals(token.Alg, "none", StringComparison.OrdinalIgnoreCase))
        {
            throw Reject(RejectReasons.AlgNone, "the token is unsigned (alg none)");
        }

        if (token.Alg != SecurityAlgorithms.RsaSha256)
        {
            throw Reject(RejectReasons.AlgNotAllowed, $"the token is signed with {Printable(token.Alg)}; Bitbucket signs RS256 only");
        }

        return token;
    }

    private static VerifiedIdentity Bind(PipelineEvent message, JsonWebToken token, TrustedWorkspace workspace)
    {
        var workspaceUuid = Claim(token, "workspaceUuid");
        if (!SameUuid(workspaceUuid, message.Workspace.Uuid) || !SameUuid(workspaceUuid, workspace.Uuid))
        {
            throw Reject(RejectReasons.WorkspaceMismatch, $"the token is of another workspace than {message.Workspace.Uuid}");
        }

        var repositoryUuid = Claim(token, "repositoryUuid");
        if (!SameUuid(repositoryUuid, message.Repository.Uuid))
        {
            throw Reject(RejectReasons.RepositoryMismatch, $"the token is of another repository than {message.Repository.FullName} {message.Repository.Uuid}");
        }

        var pipelineUuid = Claim(token, "pipelineUuid");
        if (!SameUuid(pipelineUuid, message.PipelineUuid))
        {
            throw Reject(RejectReasons.PipelineMismatch, $"the token is of another pipeline than {message.PipelineUuid}");
        }

        var stepUuid = Claim(token, "stepUuid");
        if (!SameUuid(stepUuid, message.StepUuid))
        {
            throw Reject(RejectReasons.StepMismatch, $"the token is of another step than {message.StepUuid}");
        }

        var branch = Claim(token, "branchName");
        if (message.Ref.Type == RefType.Branch && !string.Equals(branch, message.Ref.Name, StringComparison.Ordinal))
        {
            throw Reject(RejectReasons.BranchMismatch, $"the token's pipeline ran on another branch than {message.Ref.Name}");
        }

        return new VerifiedIdentity
        {
            WorkspaceUuid = workspaceUuid!,
            RepositoryUuid = repositoryUuid!,
            PipelineUuid = pipelineUuid!,
            StepUuid = stepUuid!,
            BranchName = branch,
            DeploymentEnvironment = Claim(token, "deploymentEnvironmentUuid") ?? Claim(token, "deploymentEnvironment"),
            ExpiresAt = Time(token, "exp") ?? DateTimeOffset.MinValue,
        };
    }

    private void CheckLifetime(JsonWebToken token, VerifiedIdentity identity, DateTimeOffset sentAt, TimeSpan skew)
    {
        var now = time.GetUtcNow();
        var expires = Time(token, "exp") ?? throw Reject(RejectReasons.TokenMalformed, "the token has no exp");
        if (Time(token, "nbf") is { } notBefore && notBefore > now + skew)
        {
            throw Reject(RejectReasons.NotYetValid, $"the token is not valid before {notBefore:O}");
        }

        var issuedAt = Time(token, "iat");
        if (issuedAt > now + skew)
        {
            throw Reject(RejectReasons.NotYetValid, $"the token was issued in the future ({issuedAt:O})");
        }

        if (now <= expires + skew)
        {
            return;
        }

        if (sentAt >= (issuedAt ?? expires) - skew && sentAt <= expires + skew)
        {
            throw new TokenExpiredInQueueException(now - sentAt, identity);
        }

        throw Reject(RejectReasons.Expired, $"the token expired at {expires:O}, before the message was sent");
    }

    private static string? Claim(JsonWebToken token, string name) =>
        token.TryGetPayloadValue<string>(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static DateTimeOffset? Time(JsonWebToken token, string name) =>
        token.TryGetPayloadValue<long>(name, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static bool SameUuid(string? a, string? b) =>
        a is not null && b is not null && string.Equals(a.Trim('{', '}'), b.Trim('{', '}'), StringComparison.OrdinalIgnoreCase);

    private static string Printable(string value) => value.Length <= 16 && value.All(char.IsAsciiLetterOrDigit) ? value : "an unknown algorithm";

    private static EventRejectedException Reject(string reason, string why) => new(reason, $"Rejected ({reason}): {why}");

    private static EventRejectedException Reject(Exception? validation) => validation switch
    {
        SecurityTokenInvalidAudienceException => Reject(RejectReasons.WrongAudience, "the token's audience is not one this workspace accepts"),
        SecurityTokenInvalidIssuerException => Reject(RejectReasons.WrongIssuer, "the token's issuer is not the workspace's"),
        SecurityTokenInvalidAlgorithmException => Reject(RejectReasons.AlgNotAllowed, "the token is not signed RS256"),
        SecurityTokenMalformedException => Reject(RejectReasons.TokenMalformed, "oidcToken is not a well-formed JWT"),
        _ => Reject(RejectReasons.BadSignature, "the token's signature does not verify with the workspace's key"),
    };
}
