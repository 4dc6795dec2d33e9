namespace Bridge.Sandbox.Emulators;

/// <summary>The endpoint names of the Prefect emulator, for <c>FailNext</c> and <c>CallCount</c>.</summary>
public static class PrefectEndpoints
{
    public const string Health = "health";
    public const string ReadDeploymentByName = "read_deployment_by_name";
    public const string ReadDeployment = "read_deployment";
    public const string CreateFlowRun = "create_flow_run";
    public const string ReadFlowRun = "read_flow_run";
    public const string SetFlowRunState = "set_flow_run_state";
    public const string FilterFlowRuns = "filter_flow_runs";
    public const string DeleteFlowRun = "delete_flow_run";
    public const string UpdateFlowRunLabels = "update_flow_run_labels";
    public const string ReadVariableByName = "read_variable_by_name";
    public const string CreateVariable = "create_variable";
    public const string UpdateVariableByName = "update_variable_by_name";
    public const string ReadWorkers = "read_workers";

    /// <summary>The event stream: not counted or faulted by the request gate (see <c>PrefectEmulator.RefuseEventStreams</c>).</summary>
    public const string EventsOut = "events_out";

    internal static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Health, ReadDeploymentByName, ReadDeployment, CreateFlowRun, ReadFlowRun, SetFlowRunState, FilterFlowRuns,
        DeleteFlowRun, UpdateFlowRunLabels, ReadVariableByName, CreateVariable, UpdateVariableByName,
        ReadWorkers,
    };
}
