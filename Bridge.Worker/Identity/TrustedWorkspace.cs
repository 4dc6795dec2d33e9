using Bridge.Worker.Bitbucket;

namespace Bridge.Worker.Identity;

/// <summary>One allow-listed workspace (<c>Bridge:Identity:Workspaces:{slug}</c>).</summary>
internal sealed class TrustedWorkspace
{
    /// <summary>The workspace UUID in braces; the token's <c>workspaceUuid</c> and the event's must equal it.</summary>
    public string? Uuid { get; set; }

    /// <summary>Accepted <c>aud</c> values; empty means the default <c>ari:cloud:bitbucket::workspace/{uuid without braces}</c>.</summary>
    public List<string> Audiences { get; set; } = [];

    /// <summary>The expected <c>iss</c>; default <c>https://api.bitbucket.org/2.0/workspaces/{slug}/pipelines-config/identity/oidc</c>.</summary>
    public string? Issuer { get; set; }

    /// <summary>Where the discovery document is fetched; default <c>{Issuer}/.well-known/openid-configuration</c> (set it to go through a proxy).</summary>
    public string? DiscoveryUrl { get; set; }

    public static string DefaultIssuer(string slug) => $"https://api.bitbucket.org/2.0/workspaces/{slug}/pipelines-config/identity/oidc";

    public string IssuerFor(string slug) => (Issuer ?? DefaultIssuer(slug)).TrimEnd('/');

    public string DiscoveryUrlFor(string slug) => DiscoveryUrl ?? IssuerFor(slug) + "/.well-known/openid-configuration";

    public IReadOnlyList<string> AudiencesOrDefault() =>
        Audiences.Count > 0 ? Audiences : [$"ari:cloud:bitbucket::workspace/{(BitbucketUuid.TryParse(Uuid, out var uuid) ? uuid.Bare : Uuid)}"];
}
