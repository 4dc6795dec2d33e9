using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bridge.Worker.Http;

/// <summary>
/// Part of <c>/health/ready</c>: not ready while Prefect or Bitbucket refuse Bridge's credentials on their latest answer
/// (every event would be dead-lettered as <c>prefect-unauthorized</c> or <c>bitbucket-unauthorized</c>). The description
/// names the setting to check, never its value.
/// </summary>
internal sealed class UpstreamCredentialsHealthCheck(UpstreamAccess access) : IHealthCheck
{
    public const string Name = "upstream-credentials";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var refusals = access.Refusals;
        return Task.FromResult(refusals.Count == 0
            ? HealthCheckResult.Healthy("Prefect and Bitbucket accepted Bridge's credentials on their latest answers (or were not asked yet)")
            : HealthCheckResult.Unhealthy(string.Join("; ", refusals)));
    }
}
