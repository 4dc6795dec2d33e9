using Bridge.Contracts;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Observability;
using Bridge.Worker.Routing;
using Bridge.Worker.Triggers;
using Bridge.Worker.Webhooks;

namespace Bridge.Worker.Identity;

/// <summary>
/// The one admission path, for the queue consumer, the ingress and webhook deliveries alike: the sender (a step's
/// token; a webhook's signature was checked at its edge), the matching routes, their allow rules, then the commit
/// (against the step's pipeline record; a webhook's abbreviated hash expanded through Bitbucket). Returns a verdict;
/// nothing here throws for an expected outcome.
/// </summary>
internal sealed class TriggerAdmission(ITokenVerifier tokens, CommitVerifier commits, RouteTable routes, IBitbucketClient bitbucket)
{
    /// <param name="sentAt">When the trigger's message was published (the ingress: now).</param>
    public Task<AdmissionVerdict> AdmitAsync(Trigger trigger, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return trigger.Origin switch
        {
            PipelineStepOrigin step => AdmitStepAsync(trigger, step, sentAt, cancellationToken),
            WebhookOrigin webhook => AdmitWebhookAsync(trigger, webhook, sentAt, cancellationToken),
            _ => throw new ArgumentException($"unknown origin {trigger.Origin.GetType().Name}", nameof(trigger)),
        };
    }

    private async Task<AdmissionVerdict> AdmitStepAsync(Trigger trigger, PipelineStepOrigin step, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        var matched = routes.ForPipelineStep(trigger.Subject);
        var expected = new ExpectedIdentity(trigger.Workspace, trigger.Repository)
        {
            PipelineUuid = step.PipelineUuid,
            StepUuid = step.StepUuid,
            Branch = trigger.Ref.Type == RefType.Branch ? trigger.Ref.Name : null,
        };
        var verdict = await VerifyAsync(step, expected, sentAt, cancellationToken);
        if (verdict is TokenVerdict.Refused refused)
        {
            return refused.Rejection;
        }

        var (identity, expired) = verdict switch
        {
            TokenVerdict.Verified v => (v.Identity, (TimeSpan?)null),
            TokenVerdict.ExpiredInQueue e => (e.Identity, e.Waited),
            _ => throw new InvalidOperationException($"unknown token verdict {verdict.GetType().Name}"),
        };
        trigger = trigger with { Origin = step with { Identity = identity } };
        if (expired is { } waited)
        {
            // Tell the commit only where the route would have run and the commit is the pipeline's.
            var allowed = matched.Where(r => Refusal([r], trigger, identity.RepositoryUuid, identity.DeploymentEnvironment) is null).ToList();
            var told = allowed.Count > 0 && await commits.CheckAsync(trigger, step, cancellationToken) is null ? allowed : [];
            return new ExpiredInQueue(trigger, told, waited);
        }

        if (Refusal(matched, trigger, identity.RepositoryUuid, identity.DeploymentEnvironment) is { } refusal)
        {
            return refusal;
        }

        if (matched.Any(r => r.VerifyCommit) && await commits.CheckAsync(trigger, step, cancellationToken) is { } mismatch)
        {
            return mismatch;
        }

        return new Admitted(trigger, matched) { SentAt = sentAt };
    }

    private async Task<TokenVerdict> VerifyAsync(PipelineStepOrigin step, ExpectedIdentity expected, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        using var span = BridgeActivities.Start("bridge.verify");
        var verdict = await tokens.VerifyAsync(step.StepToken, expected, sentAt, cancellationToken);
        if (verdict is TokenVerdict.Refused refused)
        {
            span.Failed(refused.Rejection.Reason);
        }

        span?.SetTag("bridge.verdict", verdict switch
        {
            TokenVerdict.Refused r => r.Rejection.Reason,
            TokenVerdict.ExpiredInQueue => "expired-in-queue",
            _ => "verified",
        });
        return verdict;
    }

    private async Task<AdmissionVerdict> AdmitWebhookAsync(Trigger trigger, WebhookOrigin webhook, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        var matched = routes.ForWebhook(webhook.EventKey, trigger.Subject);

        // The signature proves Bitbucket sent it for this repository; there is no deployment environment.
        if (Refusal(matched, trigger, trigger.Repository.Uuid, environment: null) is { } refusal)
        {
            return refusal;
        }

        if (matched.Count == 0 || trigger.Commit.Length == 40)
        {
            return new Admitted(trigger, matched) { SentAt = sentAt };
        }

        // Pull-request payloads abbreviate hashes (to 12 characters); statuses and keys need the full one.
        var full = await bitbucket.GetFullCommitHashAsync(trigger.Workspace.Uuid, trigger.Repository.Uuid, trigger.Commit, cancellationToken);
        return full is null
            ? Rejection.Of(WebhookRejectReasons.CommitNotFound, $"Bitbucket knows no commit {trigger.Commit} in {trigger.Repository.FullName}")
            : new Admitted(trigger with { Commit = full }, matched) { SentAt = sentAt };
    }

    /// <summary>The first of <paramref name="routes"/> whose allow rules refuse the trigger from this sender, or null.</summary>
    private static Rejection? Refusal(IEnumerable<RouteDefinition> routes, Trigger trigger, string repositoryUuid, string? environment) =>
        routes.Select(r => r.Allow.Evaluate(r.Name, trigger.Subject, repositoryUuid, environment)).FirstOrDefault(r => r is not null);
}
