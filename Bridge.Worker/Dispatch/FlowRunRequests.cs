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
        var tags = RunLabels.TagsFor(trigger, route);
        return new CreateFlowRunRequest
        {
            Name = $"{trigger.Repository.FullName.Split('/')[^1]}-{trigger.Ref.Name}-{trigger.Commit[..7]}",
            Parameters = ParameterTemplate.Render(route.Parameters, EventVariables.For(trigger, route.Name)),
            Tags = BridgeActivities.CurrentTraceTag() is { } trace ? [.. tags, trace] : tags,
            IdempotencyKey = IdempotencyKeys.For(trigger, route),
            Labels = RunLabels.For(trigger, route),
        };
    }
}
