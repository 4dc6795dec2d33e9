namespace Bridge.Worker.Dispatch;

/// <summary>
/// The labels every Bridge flow run carries: what is needed to report on it later, read back from Prefect
/// (Prefect is the system of record; Bridge keeps no database).
/// </summary>
internal static class CorrelationLabels
{
    public const string Tag = "bridge";
    public const string RouteTagPrefix = "bridge-route:";

    /// <summary>A tag (Prefect filters flow runs by tag, not by label) so an event's runs can be found by its id.</summary>
    public const string EventTagPrefix = "bridge-event:";

    public const string EventId = "bridge.event-id";
    public const string Kind = "bridge.kind";
    public const string Workspace = "bridge.workspace";
    public const string WorkspaceUuid = "bridge.workspace-uuid";
    public const string Repository = "bridge.repository";
    public const string RepositoryUuid = "bridge.repository-uuid";
    public const string Commit = "bridge.commit";
    public const string Ref = "bridge.ref";
    public const string RefType = "bridge.ref-type";
    public const string Route = "bridge.route";
    public const string StatusKey = "bridge.status-key";
    public const string StatusName = "bridge.status-name";
    public const string BuildNumber = "bridge.build-number";
    public const string PipelineUuid = "bridge.pipeline-uuid";

    /// <summary>Webhook runs only: the delivery's <c>X-Request-UUID</c> (they have no build number or pipeline).</summary>
    public const string WebhookRequest = "bridge.webhook-request";
}
