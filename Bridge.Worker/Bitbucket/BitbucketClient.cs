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

    public async Task<string?> GetBuildStatusStateAsync(StatusTarget target, string key, CancellationToken cancellationToken)
    {
        var path = $"repositories/{Uri.EscapeDataString(target.WorkspaceUuid)}/{Uri.EscapeDataString(target.RepositoryUuid)}"
            + $"/commit/{target.Commit}/statuses/build/{Uri.EscapeDataString(key)}";
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            var why = await DescribeAsync(response, cancellationToken);
            throw Http.UpstreamResilience.IsTransient(response)
                ? new UpstreamUnavailableException("bitbucket", $"Bitbucket could not read build status {key} on commit {target.Commit} after retries ({why})")
                : new PermanentFailureException("bitbucket-rejected", $"Bitbucket refused to read build status {key} on commit {target.Commit} ({why})");
        }

        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return document.RootElement.TryGetProperty("state", out var state) ? state.GetString() : null;
    }

    public async Task<BitbucketPipeline?> GetPipelineAsync(
        string workspaceUuid, string repositoryUuid, string pipelineUuid, CancellationToken cancellationToken)
    {
        var path = $"repositories/{Uri.EscapeDataString(workspaceUuid)}/{Uri.EscapeDataString(repositoryUuid)}/pipelines/{Uri.EscapeDataString(pipelineUuid)}";
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (response.IsSuccessStatusCode)
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonSerializer.DeserializeAsync(stream, BitbucketJsonContext.Default.BitbucketPipeline, cancellationToken);
        }

        var why = await DescribeAsync(response, cancellationToken);
        var action = $"read pipeline {pipelineUuid}";
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new PermanentFailureException(
                "bitbucket-unauthorized",
                $"Bitbucket refused Bridge's credential trying to {action} ({why}); it needs to read pipelines (read:pipeline:bitbucket)"),
            _ when Http.UpstreamResilience.IsTransient(response) => new UpstreamUnavailableException(
                "bitbucket", $"Bitbucket could not {action} after retries ({why})"),
            _ => new PermanentFailureException("bitbucket-rejected", $"Bitbucket refused to {action} ({why})"),
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
