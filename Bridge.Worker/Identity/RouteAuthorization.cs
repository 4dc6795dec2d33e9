using Bridge.Contracts;
using Bridge.Worker.Routing;

namespace Bridge.Worker.Identity;

/// <summary>Applies a matched route's allow rules to the verified event; one route refusing rejects the whole event.</summary>
internal static class RouteAuthorization
{
    public static void Check(RouteDefinition route, PipelineEvent message, VerifiedIdentity identity) =>
        Check(route, message, identity.RepositoryUuid, identity.DeploymentEnvironment);

    /// <param name="repositoryUuid">The repository the sender is proven to speak for.</param>
    /// <param name="deploymentEnvironment">The deployment environment of the step, if any (webhooks have none).</param>
    public static void Check(RouteDefinition route, PipelineEvent message, string repositoryUuid, string? deploymentEnvironment)
    {
        var allow = route.Allow;
        if (!allow.RepositoryAllowed(message.Repository.FullName, repositoryUuid))
        {
            throw Reject(RejectReasons.RepositoryNotAllowed, route, $"repository {message.Repository.FullName} may not trigger it");
        }

        var refName = RefNames.Bare(message.Ref.Name);
        var refs = message.Ref.Type == RefType.Tag ? allow.Tags : allow.Branches;
        if (refs.Count > 0 && !refs.Any(p => p.IsMatch(refName)))
        {
            throw Reject(RejectReasons.RefNotAllowed, route, $"{(message.Ref.Type == RefType.Tag ? "tag" : "branch")} {refName} may not trigger it");
        }

        if (!allow.EnvironmentAllowed(deploymentEnvironment))
        {
            throw Reject(
                RejectReasons.EnvironmentNotAllowed,
                route,
                deploymentEnvironment is null
                    ? "only deployment steps of its environments may trigger it, and the token is of no deployment environment"
                    : $"deployment environment {deploymentEnvironment} may not trigger it");
        }
    }

    private static EventRejectedException Reject(string reason, RouteDefinition route, string why) =>
        new(reason, $"Rejected ({reason}): route {route.Name}: {why}");
}
