using Bridge.Worker.Http;

namespace Bridge.Worker.Bitbucket;

/// <summary>How Bridge reaches Bitbucket Cloud's REST API to post build statuses.</summary>
internal sealed class BitbucketOptions : UpstreamOptions
{
    public const string Section = "Bridge:Bitbucket";

    /// <summary>Bitbucket Cloud allows 1,000 API requests per rolling hour per credential: 900 leaves headroom.</summary>
    public BitbucketOptions() => (RequestBudget, BudgetWindow) = (900, TimeSpan.FromHours(1));

    public string ApiUrl { get; set; } = "https://api.bitbucket.org/2.0";

    /// <summary>A repository, project or workspace access token, sent as <c>Authorization: Bearer</c>. A secret.</summary>
    public string? AccessToken { get; set; }

    /// <summary>With <see cref="ApiToken"/>: an Atlassian account e-mail for Basic auth.</summary>
    public string? Username { get; set; }

    /// <summary>With <see cref="Username"/>: a scoped Atlassian API token, sent as Basic auth. A secret.</summary>
    public string? ApiToken { get; set; }
}
