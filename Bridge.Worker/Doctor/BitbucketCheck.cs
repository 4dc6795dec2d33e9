using Bridge.Worker.Bitbucket;

namespace Bridge.Worker.Doctor;

/// <summary>
/// Bridge's Bitbucket credential may read a repository's pipelines (the commit check) and its newest pipeline's commit
/// statuses (what the reporter reads back before it posts).
/// </summary>
internal sealed class BitbucketCheck(IBitbucketClient bitbucket, string workspace, string repository, DoctorReport report)
{
    public const string Credential = $"{BitbucketOptions.Section}:AccessToken (or :Username and :ApiToken) and :ApiUrl";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        string? commit = null;
        var before = report.Failures;
        await report.RunAsync("bitbucket pipelines", Credential, async token => commit = await PipelinesAsync(token), cancellationToken);
        if (report.Failures > before)
        {
            return;
        }

        if (commit is null)
        {
            report.Ok("bitbucket statuses", $"not checked: {workspace}/{repository} has no pipeline yet, so no commit to read");
            return;
        }

        await report.RunAsync("bitbucket statuses", Credential, token => StatusesAsync(commit, token), cancellationToken);
    }

    private async Task<string?> PipelinesAsync(CancellationToken cancellationToken)
    {
        if (await bitbucket.GetNewestPipelinesAsync(workspace, repository, cancellationToken) is not { } page)
        {
            report.Failed("bitbucket pipelines", $"Bitbucket knows no repository {workspace}/{repository} (or the credential may not see it); check --repository and {Credential}");
            return null;
        }

        var newest = page.Values.FirstOrDefault();
        report.Ok("bitbucket pipelines", $"the credential reads the pipelines of {workspace}/{repository} ({page.Size ?? page.Values.Count} pipelines)");
        return newest?.Target?.Commit?.Hash;
    }

    private async Task StatusesAsync(string commit, CancellationToken cancellationToken)
    {
        var count = await bitbucket.CountStatusesAsync(workspace, repository, commit, cancellationToken);
        if (count is null)
        {
            report.Failed("bitbucket statuses", $"Bitbucket knows no commit {commit} in {workspace}/{repository}");
            return;
        }

        report.Ok("bitbucket statuses", $"the credential reads the commit statuses of {workspace}/{repository} (commit {commit[..Math.Min(12, commit.Length)]}: {count} statuses)");
    }
}
