using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bridge.Contracts;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Prefect;
using Bridge.Worker.Routing;
using Bridge.Worker.Webhooks;

namespace Bridge.Worker.Dispatch;

/// <summary>Builds the create-flow-run request for one event and one route.</summary>
internal static class FlowRunRequests
{
    public static FlowRunCreate Create(PipelineEvent message, Guid eventId, RouteDefinition route)
    {
        var variables = EventVariables.For(message, eventId, route.Name);
        var kind = (string)variables["kind"]!;
        var refType = (string)variables["ref.type"]!;
        var labels = new Dictionary<string, string>
        {
            [CorrelationLabels.EventId] = eventId.ToString(),
            [CorrelationLabels.Kind] = kind,
            [CorrelationLabels.Workspace] = message.Workspace.Slug,
            [CorrelationLabels.WorkspaceUuid] = message.Workspace.Uuid,
            [CorrelationLabels.Repository] = message.Repository.FullName,
            [CorrelationLabels.RepositoryUuid] = message.Repository.Uuid,
            [CorrelationLabels.Commit] = message.Commit,
            [CorrelationLabels.Ref] = message.Ref.Name,
            [CorrelationLabels.RefType] = refType,
            [CorrelationLabels.Route] = route.Name,
            [CorrelationLabels.StatusKey] = StatusKeys.For(route.Name, route.Deployment),
            [CorrelationLabels.StatusName] = route.StatusName,
        };
        if (WebhookEvents.RequestUuid(message) is { } request)
        {
            labels[CorrelationLabels.WebhookRequest] = request;
        }
        else
        {
            labels[CorrelationLabels.BuildNumber] = message.BuildNumber.ToString(CultureInfo.InvariantCulture);
            labels[CorrelationLabels.PipelineUuid] = message.PipelineUuid;
        }

        return new FlowRunCreate
        {
            Name = $"{message.Repository.FullName.Split('/')[^1]}-{message.Ref.Name}-{message.Commit[..7]}",
            Parameters = ParameterTemplate.Render(route.Parameters, variables),
            Tags = [CorrelationLabels.Tag, CorrelationLabels.RouteTagPrefix + route.Name, CorrelationLabels.EventTagPrefix + eventId, .. route.Tags],
            IdempotencyKey = IdempotencyKey(message, route),
            Labels = labels,
        };
    }

    /// <summary>
    /// Same step and route ⇒ same key, so a redelivery returns the existing run. Prefect scopes keys per flow, not
    /// per deployment, so the deployment is part of the key; the pipeline and step make a re-run of a step a new run.
    /// The commit and ref are left out on purpose: a step's token yields at most one run per route, and an existing run
    /// for another commit or ref is a replay (<see cref="Identity.ReplayCheck"/>). A webhook change's key has its event id
    /// in their place, which the delivery's <c>X-Request-UUID</c>, the ref and the commit determine.
    /// </summary>
    public static string IdempotencyKey(PipelineEvent message, RouteDefinition route)
    {
        var identity = WebhookEvents.RequestUuid(message) is not null
            ? string.Join('|', "webhook-v1", route.Deployment, route.Name, message.Repository.Uuid.ToLowerInvariant(), EventIds.Of(message))
            : string.Join(
                '|', "v2", route.Deployment, route.Name, message.Repository.Uuid.ToLowerInvariant(), message.PipelineUuid.ToLowerInvariant(),
                message.StepUuid.ToLowerInvariant());
        return "bridge:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));
    }
}
