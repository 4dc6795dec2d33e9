using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Bridge.Sandbox.Emulators;

/// <summary>Prefect's checks in front of every endpoint (Content-Length, auth, API version) and the call recording.</summary>
internal sealed partial class PrefectRules(PrefectEmulatorOptions options, PrefectStore store, TimeProvider time) : IEmulatorRules
{
    public const string FlowRunIdKey = "Bridge.Sandbox.Emulators.Prefect.FlowRunId";

    public IResult? Check(HttpContext context, string endpointName)
    {
        var request = context.Request;
        if (options.RequireContentLength && (HttpMethods.IsPost(request.Method) || HttpMethods.IsPatch(request.Method) || HttpMethods.IsPut(request.Method))
            && request.ContentLength is null)
        {
            return PrefectResults.Detail(StatusCodes.Status411LengthRequired, "Length Required");
        }

        // The event stream authenticates with its first message, not a header.
        if (endpointName is not (PrefectEndpoints.Health or PrefectEndpoints.EventsOut) && !IsAuthorized(request))
        {
            return PrefectResults.Unauthorized();
        }

        var version = request.Headers["X-PREFECT-API-VERSION"].ToString();
        if (version.Length > 0 && !ApiVersion().IsMatch(version))
        {
            return PrefectResults.Detail(
                StatusCodes.Status400BadRequest,
                $"Invalid X-PREFECT-API-VERSION header format.Expected header in format 'x.y.z' but received {version}");
        }

        return null;
    }

    public IResult FaultResult(InjectedFault fault) => PrefectResults.Fault(fault);

    public void OnResponseStarting(HttpContext context, string endpointName, string body)
    {
        if (endpointName != PrefectEndpoints.CreateFlowRun)
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

        var deploymentId = Guid.TryParse(context.Request.RouteValues["id"]?.ToString(), out var id) ? id : (Guid?)null;
        var flowRunId = context.Items.TryGetValue(FlowRunIdKey, out var run) ? run as Guid? : null;
        store.RecordCreateCall(new CreateFlowRunCall(
            context.Response.StatusCode, deploymentId, body, parsed, flowRunId, time.GetUtcNow()));
    }

    /// <summary>The event stream's auth message: the Cloud API key, or the raw self-hosted auth string.</summary>
    public bool IsValidStreamToken(string? token) =>
        (options.ApiKey is null && options.BasicAuth is null)
        || (token is not null && (token == options.ApiKey || token == options.BasicAuth));

    private bool IsAuthorized(HttpRequest request) =>
        (options.ApiKey is null && options.BasicAuth is null)
        || (options.ApiKey is { } key && AuthorizationHeader.HasBearer(request, key))
        || (options.BasicAuth is { } basic && AuthorizationHeader.HasBasic(request, basic));

    [GeneratedRegex(@"^\d+\.\d+\.\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex ApiVersion();
}
