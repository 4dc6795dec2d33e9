using Bridge.Worker.Correlation;
using Bridge.Worker.Prefect;
using Bridge.Worker.Routing;

namespace Bridge.Worker.Doctor;

/// <summary>
/// Prefect accepts Bridge's credentials (it reads the watermark variable, as the worker does at start), and every routed
/// <c>flow/deployment</c> exists and has a worker to run it: an <c>ONLINE</c> worker in its work pool, or, for a deployment
/// without one (<c>flow.serve()</c>), the status <c>READY</c>.
/// </summary>
internal sealed class PrefectCheck(IPrefectClient prefect, PrefectOptions options, string watermark, RouteTable routes, DoctorReport report)
{
    private const string Credentials = $"{PrefectOptions.Section}:ApiKey (or :BasicAuth) and :ApiUrl";
    private const string RoutesFile = $"{RoutingOptions.Section}:File";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var before = report.Failures;
        await report.RunAsync("prefect", Credentials, CredentialsAsync, cancellationToken);
        if (report.Failures > before)
        {
            return; // every deployment would fail the same way
        }

        foreach (var group in routes.Routes.GroupBy(r => (r.FlowName, r.DeploymentName)))
        {
            var (flow, name) = group.Key;
            var check = $"deployment {flow}/{name}";
            var used = $"{RoutesFile} (route {string.Join(", ", group.Select(r => r.Name))})";
            await report.RunAsync(check, used, token => DeploymentAsync(check, flow, name, used, token), cancellationToken);
        }
    }

    private async Task CredentialsAsync(CancellationToken cancellationToken)
    {
        await prefect.ReadVariableAsync(watermark, cancellationToken);
        var auth = !string.IsNullOrEmpty(options.ApiKey) ? "ApiKey" : !string.IsNullOrEmpty(options.BasicAuth) ? "BasicAuth" : "no credential";
        report.Ok("prefect", $"{options.ApiUrl} accepts Bridge's requests ({PrefectOptions.Section}:{auth})");
    }

    private async Task DeploymentAsync(string check, string flow, string name, string used, CancellationToken cancellationToken)
    {
        if (await prefect.FindDeploymentAsync(flow, name, cancellationToken) is not { } deployment)
        {
            report.Failed(check, $"Prefect has no deployment '{flow}/{name}'; check {used}");
            return;
        }

        if (deployment.WorkPoolName is not { } pool)
        {
            Verdict(check, deployment.Status == "READY", $"exists ({deployment.Id}), without a work pool, status {deployment.Status}");
            return;
        }

        var workers = await prefect.ReadOnlineWorkersAsync(pool, cancellationToken);
        if (workers is null)
        {
            report.Failed(check, $"its work pool '{pool}' does not exist in Prefect");
        }
        else if (workers.Count == 0)
        {
            report.Failed(check, $"its work pool '{pool}' has no ONLINE worker: its flow runs would wait (start one: prefect worker start --pool {pool})");
        }
        else
        {
            report.Ok(check, $"exists ({deployment.Id}); work pool '{pool}' has {workers.Count} ONLINE worker(s): {string.Join(", ", workers.Select(w => w.Name))}");
        }
    }

    private void Verdict(string check, bool ok, string detail)
    {
        if (ok)
        {
            report.Ok(check, detail);
        }
        else
        {
            report.Failed(check, $"{detail}: no process serves it");
        }
    }
}
