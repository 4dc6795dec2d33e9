using Bridge.Contracts;
using Bridge.Worker.Routing;

namespace Bridge.Worker.Identity;

/// <summary>Applies a matched route's allow rules to the verified event; one route refusing rejects the whole event.</summary>
internal static class RouteAuthorization
{
    public static void Check(RouteDefinition route, PipelineEvent message, VerifiedIdentity identity)
    {
        var allow = route.Allow;
        if (!allow.RepositoryAllowed(message.Repository.FullName, identity.RepositoryUuid))
        {
            throw Reject(RejectReasons.RepositoryNotAllowed, route, $"repository {message.Repository.FullName} may not trigger it");
        }

        var refName = RefNames.Bare(message.Ref.Name);
        var refs = message.Ref.Type == RefType.Tag ? allow.Tags : allow.Branches;
        if (refs.Count > 0 && !refs.Any(p => p.IsMatch(refName)))
        {
            throw Reject(RejectReasons.RefNotAllowed, route, $"{(message.Ref.Type == RefType.Tag ? "tag" : "branch")} {refName} may not trigger it");
        }

        if (!allow.EnvironmentAllowed(identity.DeploymentEnvironment))
        {
            throw Reject(
                RejectReasons.EnvironmentNotAllowed,
                route,
                identity.DeploymentEnvironment is null
                    ? "only deployment steps of its environments may trigger it, and the token is of no deployment environment"
                    : $"deployment environment {identity.DeploymentEnvironment} may not trigger it");
        }
    }

    private static EventRejectedException Reject(string reason, RouteDefinition route, string why) =>
        new(reason, $"Rejected ({reason}): route {route.Name}: {why}");
}
