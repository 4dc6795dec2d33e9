using System.Security.Cryptography;
using System.Text;
using Bridge.Worker.Correlation;
using Bridge.Worker.Identity;
using Bridge.Worker.Prefect;
using Bridge.Worker.Routing;
using Bridge.Worker.Triggers;

namespace Bridge.Worker.Dispatch;

/// <summary>
/// The flow run's idempotency key, and the replay check that depends on it. Same step and route ⇒ same key, so a
/// redelivery returns the existing run. Prefect scopes keys per flow, not per deployment, so the deployment is part of
/// the key; the pipeline and step make a re-run of a step a new run. The commit and ref are left out on purpose: a
/// step's token yields at most one run per route, and an existing run for another commit or ref is a replay. A webhook
/// change's key has its trigger id in their place, which the delivery's <c>X-Request-UUID</c>, the ref and the commit
/// determine.
/// </summary>
internal static class IdempotencyKeys
{
    public static string For(Trigger trigger, RouteDefinition route)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(route);
        var repository = trigger.Repository.Uuid.ToLowerInvariant();
        var identity = trigger.Origin switch
        {
            PipelineStepOrigin step => string.Join(
                '|', "v2", route.Deployment, route.Name, repository, step.PipelineUuid.ToLowerInvariant(), step.StepUuid.ToLowerInvariant()),
            WebhookOrigin => string.Join('|', "webhook-v1", route.Deployment, route.Name, repository, trigger.Id),
            _ => throw new ArgumentException($"unknown origin {trigger.Origin.GetType().Name}", nameof(trigger)),
        };
        return "bridge:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));
    }

    /// <summary>
    /// A step's token is good for about an hour and yields at most one run per route: when Prefect returned an existing
    /// run started for another commit or ref, the trigger replays that step's token. Null when it does not.
    /// </summary>
    public static Rejection? Replay(Trigger trigger, RouteDefinition route, CreatedFlowRun creation)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(creation);
        if (creation.Created || trigger.Origin is not PipelineStepOrigin step)
        {
            return null;
        }

        var commit = creation.Run.Label(RunLabels.Commit);
        var refName = creation.Run.Label(RunLabels.Ref);
        return string.Equals(commit, trigger.Commit, StringComparison.OrdinalIgnoreCase) && string.Equals(refName, trigger.Ref.Name, StringComparison.Ordinal)
            ? null
            : Rejection.Of(
                RejectReasons.Replay,
                $"route {route.Name}: step {step.StepUuid} of pipeline {step.PipelineUuid} already started "
                + $"flow run {creation.Run.Id} for commit {commit ?? "(unknown)"} {refName}; this event names {trigger.Commit} {trigger.Ref.Name}");
    }
}
