using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>
/// One request to <c>POST /deployments/{id}/create_flow_run</c>, whatever it was answered: the status code, the
/// deployment id from the path (null when it was not a UUID), the body as sent and parsed (null when not a JSON object),
/// and the flow run returned, if any.
/// </summary>
public sealed record CreateFlowRunCall(
    int StatusCode, Guid? DeploymentId, string RawBody, JsonObject? Body, Guid? FlowRunId, DateTimeOffset At);
