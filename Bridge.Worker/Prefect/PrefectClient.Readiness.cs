using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Bridge.Worker.Prefect;

/// <summary>What <c>bridge doctor</c> asks Prefect: does a deployment exist, and does its work pool have a worker online.</summary>
internal sealed partial class PrefectClient
{
    private const string OnlineWorkers = """{"workers":{"status":{"any_":["ONLINE"]}}}""";

    public async Task<PrefectDeployment?> FindDeploymentAsync(string flowName, string deploymentName, CancellationToken cancellationToken)
    {
        var path = $"deployments/name/{Uri.EscapeDataString(flowName)}/{Uri.EscapeDataString(deploymentName)}";
        using var response = await http.GetAsync(path, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, $"look up deployment '{flowName}/{deploymentName}'", cancellationToken);
        return await ReadAsync(response, PrefectJsonContext.Default.PrefectDeployment, cancellationToken);
    }

    public async Task<IReadOnlyList<PrefectWorker>?> ReadOnlineWorkersAsync(string workPoolName, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(OnlineWorkers));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync($"work_pools/{Uri.EscapeDataString(workPoolName)}/workers/filter", content, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, $"read the workers of work pool '{workPoolName}'", cancellationToken);
        return await ReadAsync(response, PrefectJsonContext.Default.ListPrefectWorker, cancellationToken);
    }
}
