using System.Text.Json;
using Bridge.Contracts;
using Bridge.Worker.Dispatch;
using Bridge.Worker.Prefect;
using Bridge.Worker.Routing;

namespace Bridge.Worker.Identity;

/// <summary>
/// A step's token is good for about an hour and yields at most one run per route: the idempotency key is the route,
/// the repository, the pipeline and the step (not the commit or ref). When Prefect returns an existing run that was
/// started for another commit or ref, the event is a replay of that step's token and is rejected.
/// </summary>
internal static class ReplayCheck
{
    public static void ThrowIfReplay(PipelineEvent message, RouteDefinition route, FlowRunCreation creation)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(creation);
        if (creation.Created)
        {
            return;
        }

        var commit = Label(creation.Run, CorrelationLabels.Commit);
        var refName = Label(creation.Run, CorrelationLabels.Ref);
        if (!string.Equals(commit, message.Commit, StringComparison.OrdinalIgnoreCase) || !string.Equals(refName, message.Ref.Name, StringComparison.Ordinal))
        {
            throw new EventRejectedException(
                RejectReasons.Replay,
                $"Rejected ({RejectReasons.Replay}): route {route.Name}: step {message.StepUuid} of pipeline {message.PipelineUuid} already started "
                + $"flow run {creation.Run.Id} for commit {commit ?? "(unknown)"} {refName}; this event names {message.Commit} {message.Ref.Name}");
        }
    }

    private static string? Label(PrefectFlowRun run, string name) =>
        run.Labels.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
