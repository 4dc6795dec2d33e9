using Bridge.Contracts;
using Bridge.Worker.Bitbucket;

namespace Bridge.Worker.Identity;

/// <summary>
/// The token does not vouch for the commit or the ref, so they are checked against Bitbucket's record of the pipeline
/// the token is for: its target commit and ref must be the event's.
/// </summary>
internal sealed class CommitVerifier(IBitbucketClient bitbucket)
{
    public async Task VerifyAsync(PipelineEvent message, CancellationToken cancellationToken)
    {
        var pipeline = await bitbucket.GetPipelineAsync(message.Workspace.Uuid, message.Repository.Uuid, message.PipelineUuid, cancellationToken)
            ?? throw Reject(RejectReasons.PipelineNotFound, $"Bitbucket knows no pipeline {message.PipelineUuid} in {message.Repository.FullName}");
        var target = pipeline.Target;
        if (!string.Equals(target?.Commit?.Hash, message.Commit, StringComparison.OrdinalIgnoreCase))
        {
            throw Reject(RejectReasons.CommitMismatch, $"pipeline {message.PipelineUuid} built commit {target?.Commit?.Hash ?? "(none)"}, not {message.Commit}");
        }

        var refTypeMatches = message.Ref.Type == RefType.Tag
            ? target!.RefType == "tag"
            : target!.RefType is "branch" or "named_branch";
        if (!refTypeMatches || !string.Equals(target.RefName, message.Ref.Name, StringComparison.Ordinal))
        {
            throw Reject(RejectReasons.RefMismatch, $"pipeline {message.PipelineUuid} built {target.RefType} {target.RefName}, not {message.Ref.Name}");
        }
    }

    private static EventRejectedException Reject(string reason, string why) => new(reason, $"Rejected ({reason}): {why}");
}
