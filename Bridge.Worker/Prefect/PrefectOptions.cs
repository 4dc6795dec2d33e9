using Bridge.Worker.Http;

namespace Bridge.Worker.Prefect;

/// <summary>How to reach Prefect (Cloud or a self-hosted server) and how to link to its UI.</summary>
internal sealed class PrefectOptions : UpstreamOptions
{
    public const string Section = "Bridge:Prefect";

    /// <summary>
    /// API base URL: <c>http://prefect:4200/api</c> (self-hosted) or
    /// <c>https://api.prefect.cloud/api/accounts/{account}/workspaces/{workspace}</c> (Cloud).
    /// </summary>
    public string? ApiUrl { get; set; }

    /// <summary>Prefect Cloud API key, sent as <c>Authorization: Bearer</c>. A secret.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Self-hosted <c>PREFECT_SERVER_API_AUTH_STRING</c> (<c>user:password</c>), sent as Basic auth. A secret.</summary>
    public string? BasicAuth { get; set; }

    /// <summary>Base URL of the Prefect UI for links in commit statuses; derived from <see cref="ApiUrl"/> when empty.</summary>
    public string? UiUrl { get; set; }

    /// <summary>How long a deployment looked up by name is remembered.</summary>
    public TimeSpan DeploymentCacheTtl { get; set; } = TimeSpan.FromMinutes(5);
}
