using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bridge.Sandbox.Emulators;

/// <summary>Bitbucket's auth check in front of every endpoint and the recording of status POSTs.</summary>
internal sealed class BitbucketRules(BitbucketEmulatorOptions options, BitbucketStore store, TimeProvider time) : IEmulatorRules
{
    public IResult? Check(HttpContext context, string endpointName)
    {
        var request = context.Request;
        if (endpointName is BitbucketEndpoints.OidcConfiguration or BitbucketEndpoints.OidcKeys)
        {
            return null; // public, as on Bitbucket: resource servers fetch them without a credential
        }

        var basic = options.Username is null ? null : $"{options.Username}:{options.ApiToken}";
        if (options.AccessToken is null && basic is null)
        {
            return null;
        }

        if ((options.AccessToken is { } token && AuthorizationHeader.HasBearer(request, token))
            || (basic is not null && AuthorizationHeader.HasBasic(request, basic)))
        {
            return null;
        }

        if (basic is not null)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Bitbucket.org HTTP\"";
        }

        return BitbucketResults.Error(StatusCodes.Status401Unauthorized, "Access token expired or invalid");
    }

    public IResult FaultResult(InjectedFault fault) => BitbucketResults.Fault(fault);

    public void OnResponseStarting(HttpContext context, string endpointName, string body)
    {
        if (endpointName != BitbucketEndpoints.PostBuildStatus)
        {
            return;
        }

        JsonObject? parsed;
        try
        {
            parsed = JsonNode.Parse(body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            parsed = null;
        }

        var route = context.Request.RouteValues;
        store.RecordPost(new StatusPostCall(
            context.Response.StatusCode,
            route["workspace"]?.ToString() ?? string.Empty,
            route["repo_slug"]?.ToString() ?? string.Empty,
            route["commit"]?.ToString() ?? string.Empty,
            body,
            parsed,
            time.GetUtcNow()));
    }
}
