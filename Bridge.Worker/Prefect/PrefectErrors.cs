using System.Net;
using System.Text.Json;

namespace Bridge.Worker.Prefect;

/// <summary>
/// Turns Prefect's error answers into short explanations. Only <c>detail</c> and the validation messages are read:
/// Prefect echoes the request body in 422 answers, and that body must never reach a log or an exception.
/// </summary>
internal static class PrefectErrors
{
    /// <summary>The failure reason when a route's deployment does not exist (or no longer does).</summary>
    public const string DeploymentNotFound = "prefect-deployment-not-found";

    public static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var code = $"HTTP {(int)response.StatusCode}";
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return code;
            }

            if (root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
            {
                return $"{code}: {Cut(detail.GetString()!)}";
            }

            if (root.TryGetProperty("exception_detail", out var list) || root.TryGetProperty("detail", out list))
            {
                return list.ValueKind == JsonValueKind.Array ? $"{code}: {Cut(string.Join("; ", list.EnumerateArray().Select(Describe)))}" : code;
            }

            return code;
        }
        catch (JsonException)
        {
            return code;
        }
    }

    public static bool IsAuthFailure(HttpStatusCode status) => status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    private static string Describe(JsonElement item)
    {
        var message = item.TryGetProperty("msg", out var msg) ? msg.GetString() : null;
        var location = item.TryGetProperty("loc", out var loc) && loc.ValueKind == JsonValueKind.Array
            ? string.Join('.', loc.EnumerateArray().Select(l => l.ToString()))
            : null;
        return location is null ? message ?? "invalid" : $"{location}: {message}";
    }

    private static string Cut(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
