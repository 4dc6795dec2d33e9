using Bridge.Contracts;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Triggers;

namespace Bridge.Worker.Identity;

/// <summary>
/// The token does not vouch for the commit or the ref, so they are checked against Bitbucket's record of the pipeline
/// the token is for: its target commit and ref must be the trigger's.
/// </summary>
internal sealed class CommitVerifier(IBitbucketClient bitbucket)
{
    /// <summary>Null when the pipeline built the trigger's commit and ref.</summary>
    public async Task<Rejection?> CheckAsync(Trigger trigger, PipelineStepOrigin step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(step);
        var pipeline = await bitbucket.GetPipelineAsync(trigger.Workspace.Uuid, trigger.Repository.Uuid, step.PipelineUuid, cancellationToken);
        if (pipeline is null)
        {
            return Rejection.Of(RejectReasons.PipelineNotFound, $"Bitbucket knows no pipeline {step.PipelineUuid} in {trigger.Repository.FullName}");
        }

        var target = pipeline.Target;
        if (!string.Equals(target?.Commit?.Hash, trigger.Commit, StringComparison.OrdinalIgnoreCase))
        {
            return Rejection.Of(RejectReasons.CommitMismatch, $"pipeline {step.PipelineUuid} built commit {target?.Commit?.Hash ?? "(none)"}, not {trigger.Commit}");
        }

        var refTypeMatches = trigger.Ref.Type == RefType.Tag
            ? target!.RefType == "tag"
            : target!.RefType is "branch" or "named_branch";
        return refTypeMatches && string.Equals(target.RefName, trigger.Ref.Name, StringComparison.Ordinal)
            ? null
            : Rejection.Of(RejectReasons.RefMismatch, $"pipeline {step.PipelineUuid} built {target.RefType} {target.RefName}, not {trigger.Ref.Name}");
    }
}
