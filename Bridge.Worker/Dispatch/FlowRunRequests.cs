using Bridge.Worker.Correlation;
using Bridge.Worker.Observability;
using Bridge.Worker.Prefect;
using Bridge.Worker.Routing;
using Bridge.Worker.Triggers;

namespace Bridge.Worker.Dispatch;

/// <summary>Builds the create-flow-run request for one admitted trigger and one route.</summary>
internal static class FlowRunRequests
{
    public static CreateFlowRunRequest Create(Trigger trigger, RouteDefinition route)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(route);
        return new CreateFlowRunRequest
        {
            Name = $"{trigger.Repository.FullName.Split('/')[^1]}-{trigger.Ref.Name}-{trigger.Commit[..7]}",
            Parameters = ParameterTemplate.Render(route.Parameters, EventVariables.For(trigger, route.Name)),
            Tags = BridgeActivities.CurrentTraceTag() is { } trace ? [.. RunLabels.TagsFor(trigger, route), trace] : RunLabels.TagsFor(trigger, route),
            IdempotencyKey = IdempotencyKeys.For(trigger, route),
            Labels = RunLabels.For(trigger, route),
        };
    }
}
