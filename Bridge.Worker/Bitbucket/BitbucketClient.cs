using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Bridge.Worker.Bitbucket;

/// <summary>Typed client for Bitbucket Cloud's commit-status API.</summary>
internal sealed class BitbucketClient(HttpClient http) : IBitbucketClient
{
    public async Task PostBuildStatusAsync(StatusTarget target, BuildStatus status, CancellationToken cancellationToken)
    {
        var path = $"repositories/{Uri.EscapeDataString(target.WorkspaceUuid)}/{Uri.EscapeDataString(target.RepositoryUuid)}"
            + $"/commit/{target.Commit}/statuses/build";
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(status, BitbucketJsonContext.Default.BuildStatus));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(path, content, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var why = await DescribeAsync(response, cancellationToken);
        var action = $"post build status '{status.Name}' on commit {target.Commit}";
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new PermanentFailureException(
                "bitbucket-unauthorized",
                $"Bitbucket refused Bridge's credential trying to {action} ({why}); check {BitbucketOptions.Section}:AccessToken "
                + "or :Username/:ApiToken and that it may read the repository"),
            HttpStatusCode.NotFound => new PermanentFailureException(
                "bitbucket-not-found", $"Bitbucket knows no such repository or commit trying to {action} ({why})"),
            _ when Http.UpstreamResilience.IsTransient(response) => new UpstreamUnavailableException(
                "bitbucket", $"Bitbucket could not {action} after retries ({why})"),
            _ => new PermanentFailureException("bitbucket-rejected-status", $"Bitbucket refused to {action} ({why})"),
        };
    }

    private static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var code = $"HTTP {(int)response.StatusCode}";
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return document.RootElement.TryGetProperty("error", out var error)
                && error.TryGetProperty("message", out var message)
                ? $"{code}: {message.GetString()}"
                : code;
        }
        catch (JsonException)
        {
            return code;
        }
    }
}
