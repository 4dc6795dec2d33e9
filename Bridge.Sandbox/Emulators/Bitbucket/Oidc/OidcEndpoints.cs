using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// Per workspace: <c>/2.0/workspaces/{slug}/pipelines-config/identity/oidc/.well-known/openid-configuration</c> and
/// <c>…/keys.json</c>. Public (no credential), as on Bitbucket; 404 for a workspace the emulator does not host.
/// </summary>
internal sealed class OidcEndpoints(ConcurrentDictionary<string, OidcWorkspace> workspaces)
{
    public const string Prefix = "/workspaces/{workspace}/pipelines-config/identity/oidc";

    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet(Prefix + "/.well-known/openid-configuration", (HttpContext context, string workspace) =>
                workspaces.TryGetValue(workspace, out var issuer)
                    ? Results.Json(Discovery(context.Request, issuer), BitbucketJsonContext.Wire.JsonNode)
                    : NotFound(workspace))
            .WithName(BitbucketEndpoints.OidcConfiguration);
        api.MapGet(Prefix + "/keys.json", (string workspace) =>
                workspaces.TryGetValue(workspace, out var issuer)
                    ? Results.Json(issuer.Jwks(), BitbucketJsonContext.Wire.JsonNode)
                    : NotFound(workspace))
            .WithName(BitbucketEndpoints.OidcKeys);
    }

    private static JsonObject Discovery(HttpRequest request, OidcWorkspace workspace) => new()
    {
        ["issuer"] = workspace.Issuer,
        ["jwks_uri"] = $"{request.Scheme}://{request.Host}/2.0/workspaces/{Uri.EscapeDataString(workspace.Slug)}/pipelines-config/identity/oidc/keys.json",
        ["claims_supported"] = new JsonArray([.. OidcWorkspace.ClaimsSupported.Select(c => JsonValue.Create(c))]),
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        ["response_types_supported"] = new JsonArray("id_token"),
        ["scopes_supported"] = new JsonArray("openid"),
        ["subject_types_supported"] = new JsonArray("public"),
    };

    private static IResult NotFound(string workspace) =>
        BitbucketResults.Error(StatusCodes.Status404NotFound, $"OpenID Connect is not configured for workspace {workspace}.");
}
