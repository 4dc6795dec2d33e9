namespace Bridge.Worker.Identity;

/// <summary>Which workspaces' Pipelines OIDC tokens Bridge trusts, and how it checks them.</summary>
internal sealed class IdentityOptions
{
    public const string Section = "Bridge:Identity";

    /// <summary>The allow-list: workspace slug → its UUID, audiences and issuer.</summary>
    public Dictionary<string, TrustedWorkspace> Workspaces { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Tolerance on <c>exp</c>, <c>nbf</c> and <c>iat</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At most one key-set refresh per workspace per interval when a token names an unknown <c>kid</c>.</summary>
    public TimeSpan KeyRefreshMinInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long fetched signing keys (and the discovery document) are used before they are fetched again.</summary>
    public TimeSpan KeyCacheLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Development only: accept <c>http://</c> issuer, discovery and key URLs.</summary>
    public bool AllowInsecureHttp { get; set; }
}
