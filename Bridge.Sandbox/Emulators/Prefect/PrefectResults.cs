using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Bridge.Sandbox.Emulators;

/// <summary>The error answers of Prefect's server, in its shapes.</summary>
internal static class PrefectResults
{
    public static IResult Json(JsonNode body, int statusCode) =>
        Results.Json(body, PrefectJsonContext.Wire.JsonNode, statusCode: statusCode);

    public static IResult Detail(int statusCode, string detail) =>
        Json(new JsonObject { ["detail"] = detail }, statusCode);

    public static IResult DeploymentNotFound() => Detail(StatusCodes.Status404NotFound, "Deployment not found");

    public static IResult FlowRunNotFound() => Detail(StatusCodes.Status404NotFound, "Flow run not found");

    public static IResult Unauthorized() =>
        Json(new JsonObject { ["exception_message"] = "Unauthorized" }, StatusCodes.Status401Unauthorized);

    public static IResult Fault(InjectedFault fault) =>
        Detail(fault.StatusCode, ReasonPhrases.GetReasonPhrase(fault.StatusCode) is { Length: > 0 } phrase ? phrase : "Injected fault");

    /// <summary>
    /// 422 as the real server sends it (its own handler, not FastAPI's bare <c>{"detail": [...]}</c>):
    /// <c>{"exception_message": "Invalid request received.", "exception_detail": [...], "request_body": ...}</c>.
    /// </summary>
    public static IResult Invalid(JsonArray details, JsonNode? requestBody) =>
        Json(
            new JsonObject
            {
                ["exception_message"] = "Invalid request received.",
                ["exception_detail"] = details,
                ["request_body"] = requestBody,
            },
            StatusCodes.Status422UnprocessableEntity);

    /// <summary>One pydantic error entry: <c>{"type", "loc", "msg", "input"}</c> (plus <c>ctx</c> when given).</summary>
    public static JsonObject ErrorEntry(string type, IEnumerable<object> loc, string message, JsonNode? input, JsonObject? ctx = null)
    {
        var entry = new JsonObject
        {
            ["type"] = type,
            ["loc"] = new JsonArray(loc.Select(segment => segment is int i ? JsonValue.Create(i) : (JsonNode)JsonValue.Create(segment.ToString()!)).ToArray()),
            ["msg"] = message,
            ["input"] = input?.DeepClone(),
        };
        if (ctx is not null)
        {
            entry["ctx"] = ctx;
        }

        return entry;
    }
}
