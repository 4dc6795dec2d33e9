using Bridge.Contracts;

namespace Bridge.Worker.Webhooks;

/// <summary>A ref a webhook says was updated: the event kind, the ref and its commit (possibly abbreviated), and the merged pull request.</summary>
internal sealed record WebhookChange(EventKind Kind, GitRef Ref, string Commit, long? PullRequestId)
{
    public bool CommitIsAbbreviated => Commit.Length < 40;
}
