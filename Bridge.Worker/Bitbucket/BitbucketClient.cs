using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Bridge.Worker.Bitbucket;

/// <summary>Typed client for Bitbucket Cloud's commit-status API.</summary>
internal sealed partial class BitbucketClient(HttpClient http) : IBitbucketClient
{
    private const int FullHashLength = 40;

    public async Task PostBuildStatusAsync(StatusTarget target, BitbucketBuildStatus status, CancellationToken cancellationToken)
    {
        var path = $"repositories/{Uri.EscapeDataString(target.WorkspaceUuid)}/{Uri.EscapeDataString(target.RepositoryUuid)}"
            + $"/commit/{target.Commit}/statuses/build";
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(status, BitbucketJsonContext.Default.BitbucketBuildStatus));
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
            _ when Microsoft.Extensions.Http.Resilience.HttpClientResiliencePredicates.IsTransient(Polly.Outcome.FromResult(response)) => new UpstreamUnavailableException(
                "bitbucket", $"Bitbucket could not {action} after retries ({why})"),
            _ => new PermanentFailureException("bitbucket-rejected-status", $"Bitbucket refused to {action} ({why})"),
        };
    }

    public async Task<PostedStatus?> GetBuildStatusAsync(StatusTarget target, string key, CancellationToken cancellationToken)
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
            throw Microsoft.Extensions.Http.Resilience.HttpClientResiliencePredicates.IsTransient(Polly.Outcome.FromResult(response))
                ? new UpstreamUnavailableException("bitbucket", $"Bitbucket could not read build status {key} on commit {target.Commit} after retries ({why})")
                : new PermanentFailureException("bitbucket-rejected", $"Bitbucket refused to read build status {key} on commit {target.Commit} ({why})");
        }

        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var root = document.RootElement;
        return root.TryGetProperty("state", out var state) && state.GetString() is { } text
            ? new PostedStatus(text, root.TryGetProperty("url", out var url) ? url.GetString() : null)
            : null;
    }

    public Task<BitbucketPipeline?> GetPipelineAsync(
        string workspaceUuid, string repositoryUuid, string pipelineUuid, CancellationToken cancellationToken) =>
        GetAsync(
            $"repositories/{Uri.EscapeDataString(workspaceUuid)}/{Uri.EscapeDataString(repositoryUuid)}/pipelines/{Uri.EscapeDataString(pipelineUuid)}",
            BitbucketJsonContext.Default.BitbucketPipeline,
            $"read pipeline {pipelineUuid}",
            "to read pipelines (read:pipeline:bitbucket)",
            cancellationToken);

    public async Task<string?> GetFullCommitHashAsync(string workspace, string repository, string commit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(commit) || commit.Length > FullHashLength || !commit.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException($"A commit must be given as up to {FullHashLength} hex characters (got '{commit}').", nameof(commit));
        }

        var found = await GetAsync(
            $"repositories/{Uri.EscapeDataString(workspace)}/{Uri.EscapeDataString(repository)}/commit/{commit}",
            BitbucketJsonContext.Default.BitbucketCommit,
            $"read commit {commit} of {workspace}/{repository}",
            "to read the repository (read:repository:bitbucket)",
            cancellationToken);
        if (found is null)
        {
            return null;
        }

        return found.Hash is { Length: FullHashLength } hash
            && hash.All(char.IsAsciiHexDigitLower)
            && hash.StartsWith(commit, StringComparison.OrdinalIgnoreCase)
                ? hash
                : throw new PermanentFailureException(
                    "bitbucket-rejected",
                    $"Bitbucket answered commit {commit} of {workspace}/{repository} with hash '{found.Hash}', not the full {FullHashLength}-character SHA-1 it abbreviates");
    }

    /// <summary>The resource at <paramref name="path"/>, or null on 404; any other failure is thrown as <see cref="FailureAsync"/> maps it.</summary>
    private async Task<T?> GetAsync<T>(string path, JsonTypeInfo<T> type, string action, string need, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, action, need, cancellationToken);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken);
    }

    /// <summary>
    /// The exception for a failed read: 401/403 name the permission Bridge's credential lacks (<paramref name="need"/>),
    /// transient answers (after retries) are <see cref="UpstreamUnavailableException"/>, anything else is a rejection.
    /// </summary>
    private static async Task<Exception> FailureAsync(HttpResponseMessage response, string action, string need, CancellationToken cancellationToken)
    {
        var why = await DescribeAsync(response, cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new PermanentFailureException(
                "bitbucket-unauthorized",
                $"Bitbucket refused Bridge's credential trying to {action} ({why}); it needs {need}"),
            _ when Microsoft.Extensions.Http.Resilience.HttpClientResiliencePredicates.IsTransient(Polly.Outcome.FromResult(response)) => new UpstreamUnavailableException(
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
