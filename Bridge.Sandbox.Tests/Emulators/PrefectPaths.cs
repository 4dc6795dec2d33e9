using Bridge.Sandbox.Emulators;

namespace Bridge.Tests.Emulators;

/// <summary>Relative Prefect API paths used by the emulator tests.</summary>
internal static class PrefectPaths
{
    public static string CreateFlowRun(DeploymentRecord deployment) => $"deployments/{deployment.Id}/create_flow_run";
}
