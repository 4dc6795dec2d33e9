using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bridge.Sandbox.Emulators.Entra;

/// <summary>An error as Entra's token endpoint answers it: <c>error</c>, <c>error_description</c> starting AADSTSnnn, <c>error_codes</c>.</summary>
internal sealed record EntraError(string Error, int Code, string Description, int StatusCode = 400)
{
    public IResult ToResult(TimeProvider time)
    {
        var trace = Guid.NewGuid().ToString();
        var correlation = Guid.NewGuid().ToString();
        var body = new JsonObject
        {
            ["error"] = Error,
            ["error_description"] = $"AADSTS{Code}: {Description} Trace ID: {trace} Correlation ID: {correlation} Timestamp: {time.GetUtcNow():yyyy-MM-dd HH:mm:ssZ}",
            ["error_codes"] = new JsonArray(Code),
            ["timestamp"] = time.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["trace_id"] = trace,
            ["correlation_id"] = correlation,
            ["error_uri"] = $"https://login.microsoftonline.com/error?code={Code}",
        };
        return Results.Text(body.ToJsonString(), "application/json; charset=utf-8", statusCode: StatusCode);
    }
}
