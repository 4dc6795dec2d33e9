using Bridge.Contracts;
using Bridge.Worker.Identity;
using Bridge.Worker.Routing;

namespace Bridge.Worker.Ingress;

/// <summary>
/// The consumer's checks, run before the event is queued: the token (<see cref="IEventVerifier"/>), every matched
/// route's allow rules (<see cref="RouteAuthorization"/>) and the commit against the pipeline record
/// (<see cref="CommitVerifier"/>). Throws <see cref="EventRejectedException"/> as the consumer would.
/// </summary>
internal sealed class EventAdmission(IEventVerifier verifier, CommitVerifier commits, RouteTable routes, TimeProvider time)
{
    /// <summary>The token and the routes' allow rules; the matched routes.</summary>
    public async Task<IReadOnlyList<RouteDefinition>> VerifyAsync(PipelineEvent message, CancellationToken cancellationToken)
    {
        var matched = routes.Match(message);
        var identity = await verifier.VerifyAsync(message, time.GetUtcNow(), cancellationToken);
        foreach (var route in matched)
        {
            RouteAuthorization.Check(route, message, identity);
        }

        return matched;
    }

    /// <summary>The commit and ref against Bitbucket's record of the pipeline, when a matched route asks for it.</summary>
    public async Task VerifyCommitAsync(PipelineEvent message, IReadOnlyList<RouteDefinition> matched, CancellationToken cancellationToken)
    {
        if (matched.Any(r => r.VerifyCommit))
        {
            await commits.VerifyAsync(message, cancellationToken);
        }
    }
}
