using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Bridge.Worker.Prefect;

/// <summary>
/// Typed client for Prefect's REST API. Bodies are sent buffered (with a Content-Length: Prefect Cloud answers 411
/// to chunked bodies). Transient failures are retried by the resilience handler; what is left is thrown as
/// <see cref="UpstreamUnavailableException"/> (retry later) or <see cref="PermanentFailureException"/> (never retry).
/// </summary>
internal sealed partial class PrefectClient(HttpClient http, DeploymentCache cache) : IPrefectClient
{
    public async Task<CreatedFlowRun> CreateFlowRunAsync(string flowName, string deploymentName, CreateFlowRunRequest request, CancellationToken cancellationToken)
    {
        var key = $"{flowName}/{deploymentName}";
        var cached = cache.TryGet(key, out var known);
        var deployment = cached ? known : await LookUpDeploymentAsync(flowName, deploymentName, cancellationToken);
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, PrefectJsonContext.Default.CreateFlowRunRequest));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await http.PostAsync(CreatePath(deployment), content, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound && cached)
        {
            // The remembered deployment was deleted; it may have been recreated under the same name.
            response.Dispose();
            cache.Remove(key);
            deployment = await LookUpDeploymentAsync(flowName, deploymentName, cancellationToken);
            response = await http.PostAsync(CreatePath(deployment), content, cancellationToken);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new PermanentFailureException(
                    PrefectErrors.DeploymentNotFound,
                    $"Prefect deployment '{key}' ({deployment.Id}) no longer exists; check the route's deployment");
            }

            await EnsureSuccessAsync(response, $"create a flow run of deployment '{key}'", cancellationToken);
            var run = await ReadAsync(response, PrefectJsonContext.Default.PrefectFlowRun, cancellationToken);
            return new CreatedFlowRun(run, response.StatusCode == HttpStatusCode.Created);
        }
    }

    private static string CreatePath(PrefectDeployment deployment) => $"deployments/{deployment.Id}/create_flow_run";

    /// <summary>By name, once for all concurrent callers (<see cref="DeploymentCache.GetOrLookUpAsync"/>).</summary>
    private Task<PrefectDeployment> LookUpDeploymentAsync(string flowName, string deploymentName, CancellationToken cancellationToken)
    {
        var key = $"{flowName}/{deploymentName}";
        return cache.GetOrLookUpAsync(key, () => ReadDeploymentByNameAsync(flowName, deploymentName), cancellationToken);
    }

    private async Task<PrefectDeployment> ReadDeploymentByNameAsync(string flowName, string deploymentName)
    {
        // Shared by every caller waiting on it; bounded by the attempt timeouts.
        return await FindDeploymentAsync(flowName, deploymentName, CancellationToken.None)
            ?? throw new PermanentFailureException(
                PrefectErrors.DeploymentNotFound,
                $"Prefect has no deployment '{flowName}/{deploymentName}' (flow '{flowName}', deployment '{deploymentName}'); check the route's deployment");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string action, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var why = await PrefectErrors.DescribeAsync(response, cancellationToken);
        if (PrefectErrors.IsAuthFailure(response.StatusCode))
        {
            throw new PermanentFailureException(
                "prefect-unauthorized",
                $"Prefect refused Bridge's credentials trying to {action} ({why}); check {PrefectOptions.Section}:ApiKey or :BasicAuth");
        }

        if (Microsoft.Extensions.Http.Resilience.HttpClientResiliencePredicates.IsTransient(Polly.Outcome.FromResult(response)))
        {
            throw new UpstreamUnavailableException("prefect", $"Prefect could not {action} after retries ({why})");
        }

        throw new PermanentFailureException("prefect-rejected", $"Prefect refused to {action} ({why})");
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken)
            ?? throw new UpstreamUnavailableException("prefect", $"Prefect answered {(int)response.StatusCode} with an empty body");
    }
}
