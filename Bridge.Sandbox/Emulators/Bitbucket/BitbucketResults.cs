using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Bridge.Sandbox.Emulators;

/// <summary>Bitbucket's error answers: <c>{"type": "error", "error": {"message": …, "fields": {…}}}</c>.</summary>
internal static class BitbucketResults
{
    public const string RateLimitText = "Rate limit for this resource has been exceeded.";

    public static IResult Error(int statusCode, string message, JsonObject? fields = null)
    {
        var error = new JsonObject { ["message"] = message };
        if (fields is not null)
        {
            error["fields"] = fields;
        }

        return Results.Json(
            new JsonObject { ["type"] = "error", ["error"] = error },
            BitbucketJsonContext.Wire.JsonNode,
            statusCode: statusCode);
    }

    public static IResult Fields(FieldErrors errors)
    {
        var fields = new JsonObject();
        foreach (var (field, message) in errors.Items)
        {
            fields[field] = new JsonArray(message);
        }

        var text = string.Join("\n", errors.Items.Select(e => $"{e.Field}: {e.Message}"));
        return Error(StatusCodes.Status400BadRequest, text, fields);
    }

    public static IResult Fault(InjectedFault fault) =>
        fault.StatusCode == StatusCodes.Status429TooManyRequests
            ? Results.Text(RateLimitText, "text/plain", statusCode: fault.StatusCode)
            : Error(fault.StatusCode, ReasonPhrases.GetReasonPhrase(fault.StatusCode) is { Length: > 0 } phrase ? phrase : "Injected fault");
}
