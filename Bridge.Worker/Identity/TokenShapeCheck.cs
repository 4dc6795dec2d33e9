using Bridge.Contracts;

namespace Bridge.Worker.Identity;

/// <summary>
/// Until OIDC verification lands, the only check: the token has the three dot-separated segments of a JWT.
/// Its signature, issuer, audience and claims are NOT verified, and the worker says so when it starts.
/// </summary>
internal sealed class TokenShapeCheck : IEventVerifier
{
    public Task VerifyAsync(PipelineEvent message, CancellationToken cancellationToken)
    {
        var segments = message.OidcToken.Split('.');
        if (segments.Length != 3 || segments.Take(2).Any(string.IsNullOrEmpty))
        {
            throw new PermanentFailureException("token-malformed", "oidcToken: is not a JWT (expected three dot-separated segments)");
        }

        return Task.CompletedTask;
    }
}
