using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>Maps the emulator's records to Prefect's response shapes.</summary>
internal static class PrefectResponses
{
    public static FlowRunResponse FlowRun(FlowRunRecord run, DateTimeOffset now) => new()
    {
        Id = run.Id,
        Created = run.Created,
        Updated = run.Updated,
        Name = run.Name,
        FlowId = run.FlowId,
        StateId = run.State.Id,
        DeploymentId = run.DeploymentId,
        WorkQueueName = run.WorkQueueName,
        Parameters = run.Parameters,
        IdempotencyKey = run.IdempotencyKey,
        Context = run.Context,
        EmpiricalPolicy = run.EmpiricalPolicy,
        Tags = run.Tags,
        Labels = run.Labels,
        StateType = run.State.Type,
        StateName = run.State.Name,
        RunCount = run.RunCount,
        ExpectedStartTime = run.ExpectedStartTime,
        NextScheduledStartTime = run.State.Type == StateTypes.Scheduled ? run.State.ScheduledTime : null,
        StartTime = run.StartTime,
        EndTime = run.EndTime,
        TotalRunTime = run.StartTime is { } start ? ((run.EndTime ?? now) - start).TotalSeconds : 0,
        EstimatedRunTime = run.StartTime is { } started ? ((run.EndTime ?? now) - started).TotalSeconds : 0,
        WorkPoolName = run.WorkPoolName,
        State = State(run.State, run.Id),
        JobVariables = run.JobVariables,
    };

    public static StateResponse State(FlowRunStateRecord state, Guid flowRunId) => new(
        state.Id,
        state.Type,
        state.Name,
        state.Timestamp,
        state.Message,
        Data: null,
        new StateDetailsResponse { FlowRunId = flowRunId, ScheduledTime = state.ScheduledTime });

    public static DeploymentResponse Deployment(DeploymentRecord deployment) => new()
    {
        Id = deployment.Id,
        Created = deployment.Created,
        Updated = deployment.Created,
        Name = deployment.Name,
        FlowId = deployment.FlowId,
        JobVariables = [],
        Parameters = deployment.Parameters,
        Tags = deployment.Tags,
        Labels = new JsonObject { ["prefect.flow.id"] = deployment.FlowId.ToString() },
        WorkQueueName = deployment.WorkQueueName,
        LastPolled = deployment.Created,
        ParameterOpenapiSchema = deployment.ParameterSchema,
        Entrypoint = $"flows/{deployment.FlowName.Replace('-', '_')}.py:{deployment.FlowName.Replace('-', '_')}",
        WorkPoolName = deployment.WorkPoolName,
        Status = deployment.Status,
        EnforceParameterSchema = deployment.EnforceParameterSchema,
    };
}
