namespace Bridge.Worker.Bitbucket;

/// <summary>What <c>bridge doctor</c> asks Bitbucket: may the credential read a repository's pipelines and commit statuses.</summary>
internal sealed partial class BitbucketClient
{
    public Task<BitbucketPage?> GetNewestPipelinesAsync(string workspace, string repository, CancellationToken cancellationToken) =>
        GetAsync(
            $"repositories/{Uri.EscapeDataString(workspace)}/{Uri.EscapeDataString(repository)}/pipelines?sort=-created_on&pagelen=1",
            BitbucketJsonContext.Default.BitbucketPage,
            $"list the pipelines of {workspace}/{repository}",
            "to read pipelines (read:pipeline:bitbucket)",
            cancellationToken);

    public async Task<int?> CountStatusesAsync(string workspace, string repository, string commit, CancellationToken cancellationToken)
    {
        var page = await GetAsync(
            $"repositories/{Uri.EscapeDataString(workspace)}/{Uri.EscapeDataString(repository)}/commit/{Uri.EscapeDataString(commit)}/statuses?pagelen=1",
            BitbucketJsonContext.Default.BitbucketPage,
            $"list the statuses of commit {commit} of {workspace}/{repository}",
            "to read the repository (read:repository:bitbucket)",
            cancellationToken);
        return page is null ? null : page.Size ?? 0;
    }
}
