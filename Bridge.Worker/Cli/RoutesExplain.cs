using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Contracts;
using Bridge.Worker.Ingress;
using Bridge.Worker.PipelineEvents;
using Bridge.Worker.Routing;
using Bridge.Worker.Triggers;
using Bridge.Worker.Webhooks;

namespace Bridge.Worker.Cli;

/// <summary>
/// <c>bridge routes explain</c>: an event or a webhook delivery through the worker's own code, short of anything that
/// needs a broker, Prefect or Bitbucket: the edge that makes the trigger (<see cref="PipelineEventTriggers"/>,
/// <see cref="WebhookPayload.Read"/> and <see cref="WebhookTriggers"/>), the route table's matching, each route's allow
/// rules, the create-flow-run request (<c>Dispatch/FlowRunRequests</c>: name, parameters, tags) and the status key.
/// The step token, the webhook signature, the workspace allow-list and the commit are not checked.
/// </summary>
internal static class RoutesExplain
{
    public static int Run(string routesPath, ExplainInput input, TextWriter output, TextWriter error, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(time);
        var (routes, errors) = RouteFile.Load(routesPath);
        if (errors.Count > 0)
        {
            return Refuse(error, $"the routes file {routesPath} is not valid:", errors);
        }

        var table = new RouteTable(routes);
        return input switch
        {
            ExplainInput.EventFile file => ExplainEvent(table, file.Path, output, error),
            ExplainInput.WebhookFiles files => ExplainWebhook(table, files, output, error, time),
            _ => throw new ArgumentException($"unknown input {input.GetType().Name}", nameof(input)),
        };
    }

    private static int ExplainEvent(RouteTable table, string path, TextWriter output, TextWriter error)
    {
        if (!File.Exists(path))
        {
            return Refuse(error, $"{path} does not exist", []);
        }

        PipelineEvent? message;
        var tokenGiven = true;
        try
        {
            var json = JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject ?? throw new JsonException("not a JSON object");
            if (json["oidcToken"] is not JsonValue token || !token.TryGetValue(out string? text) || string.IsNullOrWhiteSpace(text) || text == "***")
            {
                // The ingress takes the token from the Authorization header; it is not verified here anyway.
                tokenGiven = false;
                json["oidcToken"] = "not-given";
            }

            message = json.Deserialize(IngressJsonContext.Default.PipelineEvent);
        }
        catch (JsonException ex)
        {
            return Refuse(error, $"{path} is not a PipelineEvent: {(string.IsNullOrEmpty(ex.Path) ? string.Empty : ex.Path + ": ")}{ex.Message}", []);
        }

        var problems = PipelineEventValidator.Validate(message);
        if (problems.Count > 0)
        {
            return Refuse(error, $"{path} is not a valid PipelineEvent (the worker would dead-letter it):", problems);
        }

        var trigger = PipelineEventTriggers.From(message!);
        var step = (PipelineStepOrigin)trigger.Origin;
        output.WriteLine($"Pipeline event {trigger.Id}: {Describe(trigger)} (pipeline {step.PipelineUuid}, step {step.StepUuid}, build {step.BuildNumber})");
        output.WriteLine(
            "Not checked here: the step's OIDC token" + (tokenGiven ? string.Empty : " (the file has none)")
            + " and what it proves (workspace, repository, deployment environment), and the commit against Bitbucket's pipeline record.");
        var matched = table.ForPipelineStep(trigger.Subject);
        ExplainTrigger(table, trigger, matched, route => route.TakesWebhooks ? $"takes {string.Join(", ", route.Webhooks.Order(StringComparer.Ordinal))} webhooks only, not pipeline events" : null, output);
        return 0;
    }

    private static int ExplainWebhook(RouteTable table, ExplainInput.WebhookFiles files, TextWriter output, TextWriter error, TimeProvider time)
    {
        foreach (var path in new[] { files.BodyPath, files.HeadersPath }.Where(p => !File.Exists(p)))
        {
            return Refuse(error, $"{path} does not exist", []);
        }

        var (headers, headerErrors) = HeadersFile.Parse(File.ReadAllText(files.HeadersPath), files.HeadersPath);
        if (headerErrors.Count > 0)
        {
            return Refuse(error, $"{files.HeadersPath} is not a headers file:", headerErrors);
        }

        var eventKey = headers.GetValueOrDefault("X-Event-Key");
        var requestUuid = headers.GetValueOrDefault("X-Request-UUID");
        if (string.IsNullOrEmpty(eventKey) || string.IsNullOrEmpty(requestUuid))
        {
            return Refuse(error, $"{files.HeadersPath}: Bitbucket sends X-Request-UUID and X-Event-Key with every delivery; both are required (the ingress answers 400 without).", []);
        }

        output.WriteLine($"Webhook delivery {requestUuid} ({eventKey})");
        output.WriteLine("Not checked here: the signature (X-Hub-Signature of a hook in Bridge:Webhooks:Hooks), the workspace allow-list (Bridge:Identity:Workspaces), and the commit (an abbreviated hash is expanded through Bitbucket).");
        if (!WebhookPayload.EventKeys.Contains(eventKey))
        {
            output.WriteLine($"Bridge reads {string.Join(" and ", WebhookPayload.EventKeys)} only: the ingress acknowledges this delivery and queues nothing.");
            return 0;
        }

        var (payload, invalid) = WebhookPayload.Read(eventKey, File.ReadAllBytes(files.BodyPath));
        if (payload is null)
        {
            return Refuse(error, $"{files.BodyPath}: the ingress would refuse the delivery (400, {invalid!.Field}): {invalid.Why}", []);
        }

        foreach (var skipped in payload.Skipped)
        {
            output.WriteLine($"Skipped {skipped}");
        }

        if (payload.Changes.Count == 0)
        {
            output.WriteLine("The delivery updates no branch or tag: it starts nothing.");
        }

        foreach (var change in payload.Changes)
        {
            var trigger = WebhookTriggers.From(requestUuid, eventKey, time.GetUtcNow(), payload, change);
            output.WriteLine();
            output.WriteLine($"Change {trigger.Id}: {Describe(trigger)}{(change.CommitIsAbbreviated ? " (abbreviated; the worker expands it through Bitbucket before it starts a run)" : string.Empty)}");
            var matched = table.ForWebhook(eventKey, trigger.Subject);
            ExplainTrigger(
                table,
                trigger,
                matched,
                route => route.Webhooks.Contains(eventKey)
                    ? null
                    : route.TakesWebhooks
                        ? $"webhooks: takes {string.Join(", ", route.Webhooks.Order(StringComparer.Ordinal))}, not {eventKey}"
                        : $"webhooks: does not opt in to webhooks (no 'webhooks: [{eventKey}]'); it takes pipeline events",
                output);
        }

        return 0;
    }

    /// <param name="optIn">Why a route does not take this source of events at all, or null when it does.</param>
    private static void ExplainTrigger(RouteTable table, Trigger trigger, IReadOnlyList<RouteDefinition> matched, Func<RouteDefinition, string?> optIn, TextWriter output)
    {
        Rejection? rejection = null;
        foreach (var route in table.Routes)
        {
            output.WriteLine();
            if (!matched.Contains(route))
            {
                output.WriteLine($"route {route.Name}: does not match");
                foreach (var miss in new[] { optIn(route) }.OfType<string>().Concat(route.Match.Misses(trigger.Subject)))
                {
                    output.WriteLine($"  - {miss}");
                }

                continue;
            }

            output.WriteLine($"route {route.Name}: matches → {route.Deployment}");
            var refusal = ExplainAllow(route, trigger, output);
            rejection ??= refusal;
            ExplainRun(route, trigger, output);
        }

        output.WriteLine();
        output.WriteLine(
            rejection is not null ? $"Verdict: the worker would reject it, starting nothing: {rejection.Why}"
            : matched.Count == 0 ? "Verdict: no route matches; the worker acknowledges it and starts nothing."
            : $"Verdict: {matched.Count} flow run(s) would start ({string.Join(", ", matched.Select(r => r.Name))}), once the checks above pass.");
    }

    /// <summary>The route's allow rules, evaluated by <see cref="RouteAllow.Evaluate"/> as admission does; the refusal, if any.</summary>
    private static Rejection? ExplainAllow(RouteDefinition route, Trigger trigger, TextWriter output)
    {
        var allow = route.Allow;
        var rules = new List<string>();
        if (allow.RepositoryUuids.Count + allow.Repositories.Count > 0)
        {
            rules.Add($"repositories [{string.Join(", ", allow.RepositoryUuids.Concat(allow.Repositories.Select(p => p.Pattern)))}]");
        }

        if (allow.Branches.Count > 0)
        {
            rules.Add($"branches [{string.Join(", ", allow.Branches.Select(p => p.Pattern))}]");
        }

        if (allow.Tags.Count > 0)
        {
            rules.Add($"tags [{string.Join(", ", allow.Tags.Select(p => p.Pattern))}]");
        }

        // The step's repository and environment come from its verified token; the token must prove the event's repository.
        // A webhook's repository is the one its signature was made for, and it has no environment.
        var refusal = (allow with { Environments = [] }).Evaluate(route.Name, trigger.Subject, trigger.Repository.Uuid, environment: null);
        if (refusal is not null)
        {
            output.WriteLine($"  allow:       refuses: {refusal.Why}");
            return refusal;
        }

        output.WriteLine(rules.Count == 0 && allow.Environments.Count == 0
            ? "  allow:       no rules (allowed)"
            : $"  allow:       allowed{(rules.Count > 0 ? $" by {string.Join(", ", rules)}" : string.Empty)}");
        if (allow.Environments.Count > 0)
        {
            output.WriteLine($"               would check: the verified token's deployment environment is one of [{string.Join(", ", allow.Environments)}] (not checked here)");
        }

        return null;
    }

    private static void ExplainRun(RouteDefinition route, Trigger trigger, TextWriter output)
    {
        if (trigger.Origin is PipelineStepOrigin step)
        {
            output.WriteLine(route.VerifyCommit
                ? $"  commit:      would be checked against pipeline {step.PipelineUuid}'s record in Bitbucket (verifyCommit: true; not checked here)"
                : "  commit:      not checked (verifyCommit: false)");
        }

        if (route.Credentials is { } credentials)
        {
            var clouds = new[] { credentials.Aws is { } aws ? $"AWS role {aws.RoleArn}" : null, credentials.Azure is { } azure ? $"Azure app {azure.ClientId}" : null }.OfType<string>();
            output.WriteLine($"  credentials: {string.Join(" and ", clouds)}, exchanged for the step token when the run is created (not here)");
        }

        if (trigger.Commit.Length < 12)
        {
            output.WriteLine($"  run:         not rendered: the commit {trigger.Commit} is shorter than shortCommit's 12 characters until the worker expands it");
        }
        else
        {
            var request = Dispatch.FlowRunRequests.Create(trigger, route);
            output.WriteLine($"  flow run:    {request.Name}");
            output.WriteLine(request.Parameters.Count == 0 ? "  parameters:  none (the deployment's own)" : "  parameters:");
            foreach (var (name, value) in request.Parameters)
            {
                output.WriteLine($"    {name} = {value?.ToJsonString() ?? "null"} ({JsonType(value)})");
            }

            output.WriteLine($"  tags:        {string.Join(", ", request.Tags)}");
        }

        output.WriteLine($"  status:      \"{route.StatusName}\", key {route.StatusKey}");
    }

    private static string Describe(Trigger trigger) =>
        $"{(trigger.Kind == EventKind.Tag ? "tag" : "merge into")} {trigger.Ref.Name} of {trigger.Repository.FullName} {trigger.Repository.Uuid} at {trigger.Commit}"
        + (trigger.PullRequestId is { } pr ? $", pull request {pr}" : string.Empty);

    private static string JsonType(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        var other => other.ToString()!.ToLowerInvariant(),
    };

    private static int Refuse(TextWriter error, string what, IEnumerable<string> problems)
    {
        error.WriteLine($"bridge routes explain: {what}");
        foreach (var problem in problems)
        {
            error.WriteLine($"  - {problem}");
        }

        return RunCommand.ConfigurationError;
    }
}
