using System.Globalization;
using Bridge.Contracts;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Prefect;
using Bridge.Worker.Routing;
using Bridge.Worker.Triggers;

namespace Bridge.Worker.Correlation;

/// <summary>
/// The tags and labels every Bridge flow run carries: what is needed to report on it later, written here when the run
/// is created and read back here from Prefect (Prefect is the system of record; Bridge keeps no database).
/// </summary>
internal static class RunLabels
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

    /// <summary>
    /// A tag with what a status post needs — workspace and repository UUIDs, commit, status key and name, ref — so the
    /// event stream can report a run from its events alone (they carry the run's tags, not its labels).
    /// </summary>
    public const string StatusTagPrefix = "bridge-status:";

    /// <summary>Webhook runs only: the delivery's <c>X-Request-UUID</c> (they have no build number or pipeline).</summary>
    public const string WebhookRequest = "bridge.webhook-request";

    /// <summary>Set once the run's final status is posted, to the state posted, so that no path posts it again.</summary>
    public const string Reported = "bridge.reported";

    /// <summary>The tags of the trigger's run for <paramref name="route"/>, the route's own tags last.</summary>
    public static IReadOnlyList<string> TagsFor(Trigger trigger, RouteDefinition route) =>
        [Tag, RouteTagPrefix + route.Name, EventTagPrefix + trigger.Id, StatusTag(trigger.StatusTarget, route.StatusKey, route.StatusName, trigger.Ref.Name), .. route.Tags];

    /// <summary><c>bridge-status:&lt;workspace&gt;/&lt;repository&gt;/&lt;commit&gt;/&lt;key&gt;/&lt;name&gt;/&lt;ref&gt;</c>, each part with '%' and '/' escaped.</summary>
    public static string StatusTag(StatusTarget target, string statusKey, string statusName, string refName)
    {
        ArgumentNullException.ThrowIfNull(target);
        return StatusTagPrefix + string.Join('/', new[] { target.WorkspaceUuid, target.RepositoryUuid, target.Commit, statusKey, statusName, refName }.Select(Escape));
    }

    /// <summary>The labels of the trigger's run for <paramref name="route"/>.</summary>
    public static Dictionary<string, string> For(Trigger trigger, RouteDefinition route)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(route);
        var labels = new Dictionary<string, string>
        {
            [EventId] = trigger.Id.ToString(),
            [Kind] = trigger.Kind == EventKind.Tag ? "tag" : "merge",
            [Workspace] = trigger.Workspace.Slug,
            [WorkspaceUuid] = trigger.Workspace.Uuid,
            [Repository] = trigger.Repository.FullName,
            [RepositoryUuid] = trigger.Repository.Uuid,
            [Commit] = trigger.Commit,
            [Ref] = trigger.Ref.Name,
            [RefType] = trigger.Ref.Type == Contracts.RefType.Tag ? "tag" : "branch",
            [Route] = route.Name,
            [StatusKey] = route.StatusKey,
            [StatusName] = route.StatusName,
        };
        switch (trigger.Origin)
        {
            case PipelineStepOrigin step:
                labels[BuildNumber] = step.BuildNumber.ToString(CultureInfo.InvariantCulture);
                labels[PipelineUuid] = step.PipelineUuid;
                break;
            case WebhookOrigin webhook:
                labels[WebhookRequest] = webhook.RequestUuid;
                break;
        }

        return labels;
    }

    /// <summary>
    /// What is needed to report on the run, from its labels or else its status tag; null when it is not a Bridge run
    /// (no <c>bridge</c> tag) or both are missing.
    /// </summary>
    public static CorrelatedRun? Read(PrefectFlowRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!run.Tags.Contains(Tag, StringComparer.Ordinal))
        {
            return null;
        }

        return (FromLabels(run) ?? FromStatusTag(run)) is { } correlated
            ? correlated with { TraceParent = Observability.BridgeActivities.TraceParentIn(run.Tags) }
            : null;
    }

    private static CorrelatedRun? FromStatusTag(PrefectFlowRun run)
    {
        var tag = run.Tags.FirstOrDefault(t => t.StartsWith(StatusTagPrefix, StringComparison.Ordinal));
        var parts = tag?[StatusTagPrefix.Length..].Split('/');
        if (parts is not { Length: 6 } || parts.Take(5).Any(p => p.Length == 0))
        {
            return null;
        }

        var part = parts.Select(Uri.UnescapeDataString).ToArray();
        return new CorrelatedRun(run.Id, run.Name, new StatusTarget(part[0], part[1], part[2]), part[3], part[4], part[5].Length == 0 ? null : part[5]);
    }

    private static string Escape(string part) => part.Replace("%", "%25", StringComparison.Ordinal).Replace("/", "%2F", StringComparison.Ordinal);

    private static CorrelatedRun? FromLabels(PrefectFlowRun run)
    {
        var workspace = run.Label(WorkspaceUuid);
        var repository = run.Label(RepositoryUuid);
        var commit = run.Label(Commit);
        var key = run.Label(StatusKey);
        var name = run.Label(StatusName);
        if (string.IsNullOrEmpty(workspace) || string.IsNullOrEmpty(repository) || string.IsNullOrEmpty(commit)
            || string.IsNullOrEmpty(key) || string.IsNullOrEmpty(name))
        {
            return null;
        }

        return new CorrelatedRun(run.Id, run.Name, new StatusTarget(workspace, repository, commit), key, name, run.Label(Ref));
    }
}
