using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bridge.Contracts;
using Bridge.Worker.Bitbucket;
using YamlDotNet.Core;

namespace Bridge.Worker.Routing;

/// <summary>
/// Loads and validates the routes file. Every problem is reported with the file, the route and the field at fault,
/// so a wrong file stops start-up with a message a person can act on.
/// </summary>
internal static partial class RouteFile
{
    public static (IReadOnlyList<RouteDefinition> Routes, IReadOnlyList<string> Errors) Load(string path)
    {
        if (!File.Exists(path))
        {
            return ([], [$"{RoutingOptions.Section}:File: the routes file '{Path.GetFullPath(path)}' does not exist"]);
        }

        JsonNode? root;
        try
        {
            using var reader = File.OpenText(path);
            root = YamlToJson.Parse(reader);
        }
        catch (YamlException ex)
        {
            return ([], [$"{path}: not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}"]);
        }

        return Read(root, path);
    }

    public static (IReadOnlyList<RouteDefinition> Routes, IReadOnlyList<string> Errors) Read(JsonNode? root, string source)
    {
        var errors = new List<string>();
        if (root?["routes"] is not JsonArray items || items.Count == 0)
        {
            return ([], [$"{source}: expected a top-level 'routes:' list with at least one route"]);
        }

        var routes = new List<RouteDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is JsonObject item && Text(item, "name") is { } name && !names.Add(name))
            {
                errors.Add($"{source}: routes[{i}].name: '{name}' is used by another route; names must be unique");
            }

            if (ReadRoute(items[i] as JsonObject, $"{source}: routes[{i}]", errors) is { } route)
            {
                routes.Add(route);
            }
        }

        return (routes, errors);
    }

    private static RouteDefinition? ReadRoute(JsonObject? item, string at, List<string> errors)
    {
        if (item is null)
        {
            errors.Add($"{at}: must be a mapping with name, match, deployment…");
            return null;
        }

        var before = errors.Count;
        ReportUnknownKeys(item, at, ["name", "match", "deployment", "parameters", "tags", "statusName", "cancelSuperseded", "allow", "verifyCommit", "credentials", "webhooks"], errors);
        var name = Text(item, "name");
        if (name is null || !RouteName().IsMatch(name))
        {
            errors.Add($"{at}.name: required; 1–64 characters of letters, digits, '.', '_' or '-'");
        }

        at = name is null ? at : $"{at} ('{name}')";
        var deployment = Text(item, "deployment");
        var parts = deployment?.Split('/') ?? [];
        if (parts.Length != 2 || parts.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{at}.deployment: required, as \"flow-name/deployment-name\" (the Prefect flow's name, then the deployment's)");
        }

        var match = ReadMatch(item["match"], at, errors);
        var parameters = ReadParameters(item["parameters"], at, errors);
        var tags = ReadTags(item["tags"], at, errors);
        var statusName = Text(item, "statusName") ?? name ?? string.Empty;
        if (statusName.Length is 0 or >= 255)
        {
            errors.Add($"{at}.statusName: must be 1–254 characters (Bitbucket's limit for a status name)");
        }

        var cancelSuperseded = false;
        if (item["cancelSuperseded"] is { } flag && !(flag is JsonValue v && v.TryGetValue(out cancelSuperseded)))
        {
            errors.Add($"{at}.cancelSuperseded: must be true or false (a newer merge on the same branch cancels this route's older runs)");
        }

        var allow = RouteAllowFile.Read(item["allow"], at, errors);
        var verifyCommit = RouteAllowFile.ReadVerifyCommit(item["verifyCommit"], at, errors);
        var credentials = Credentials.RouteCredentialsFile.Read(item["credentials"], at, errors);
        var webhooks = ReadWebhooks(item, at, credentials, allow, cancelSuperseded, errors);

        if (errors.Count > before || match is null)
        {
            return null;
        }

        return new RouteDefinition
        {
            Name = name!,
            Match = match,
            FlowName = parts[0],
            DeploymentName = parts[1],
            Parameters = parameters,
            Tags = tags,
            StatusName = statusName,
            CancelSuperseded = cancelSuperseded,
            Allow = allow,
            VerifyCommit = verifyCommit,
            Credentials = credentials,
            Webhooks = webhooks,
        };
    }

    /// <summary>
    /// <c>webhooks:</c> the Bitbucket event keys the route opts in to. Such a route has no pipeline token behind its
    /// events, so it cannot exchange one for credentials, be limited to deployment environments, or order runs by build.
    /// </summary>
    private static HashSet<string> ReadWebhooks(
        JsonObject item, string at, Credentials.RouteCredentials? credentials, RouteAllow allow, bool cancelSuperseded, List<string> errors)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in Strings(item["webhooks"], $"{at}.webhooks", errors))
        {
            if (Webhooks.WebhookPayload.EventKeys.Contains(key))
            {
                keys.Add(key);
            }
            else
            {
                errors.Add($"{at}.webhooks: '{key}' is not a webhook event Bridge reads; use {string.Join(" and/or ", Webhooks.WebhookPayload.EventKeys)}");
            }
        }

        if (keys.Count == 0)
        {
            if (item["webhooks"] is JsonArray { Count: 0 })
            {
                errors.Add($"{at}.webhooks: list at least one of {string.Join(", ", Webhooks.WebhookPayload.EventKeys)}, or leave the key out");
            }

            return keys;
        }

        if (credentials is not null)
        {
            errors.Add($"{at}.credentials: a route that takes webhooks cannot ask for credentials; a webhook carries no pipeline token to exchange");
        }

        if (allow.Environments.Count > 0)
        {
            errors.Add($"{at}.allow.environments: a route that takes webhooks cannot require deployment environments; webhooks come from no pipeline step");
        }

        if (cancelSuperseded)
        {
            errors.Add($"{at}.cancelSuperseded: not available on a route that takes webhooks (runs are ordered by pipeline build number, which webhooks lack)");
        }

        return keys;
    }

    private static RouteMatch? ReadMatch(JsonNode? node, string at, List<string> errors)
    {
        if (node is not JsonObject match)
        {
            errors.Add($"{at}.match: required; give at least one of repository, events, ref");
            return null;
        }

        ReportUnknownKeys(match, $"{at}.match", ["repository", "events", "ref"], errors);
        var repository = Text(match, "repository");
        var kinds = new HashSet<EventKind>();
        foreach (var kind in Strings(match["events"], $"{at}.match.events", errors))
        {
            if (kind is "merge" or "tag")
            {
                kinds.Add(kind == "tag" ? EventKind.Tag : EventKind.Merge);
            }
            else
            {
                errors.Add($"{at}.match.events: '{kind}' is not an event kind; use merge and/or tag");
            }
        }

        var refPattern = Text(match, "ref");
        var isUuid = repository is not null && BitbucketUuid.IsBraced(repository);
        return new RouteMatch(
            repository is null || isUuid ? null : new GlobPattern(repository, ignoreCase: true),
            isUuid ? repository : null,
            kinds,
            refPattern is null ? null : new GlobPattern(RefNames.Bare(refPattern), ignoreCase: false));
    }

    private static Dictionary<string, JsonNode?> ReadParameters(JsonNode? node, string at, List<string> errors)
    {
        var parameters = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (node is null)
        {
            return parameters;
        }

        if (node is not JsonObject obj)
        {
            errors.Add($"{at}.parameters: must be a mapping of parameter name to value or template");
            return parameters;
        }

        foreach (var (key, value) in obj)
        {
            foreach (var unknown in ParameterTemplate.Placeholders(value).Where(p => !EventVariables.Names.Contains(p)))
            {
                errors.Add($"{at}.parameters.{key}: unknown placeholder '{{{{ {unknown} }}}}'; known: {string.Join(", ", EventVariables.Names)}");
            }

            parameters[key] = value?.DeepClone();
        }

        return parameters;
    }

    private static List<string> ReadTags(JsonNode? node, string at, List<string> errors)
    {
        var tags = Strings(node, $"{at}.tags", errors).ToList();
        foreach (var tag in tags.Where(t => t.StartsWith("bridge", StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"{at}.tags: '{tag}' is reserved (tags starting with 'bridge' are Bridge's own)");
        }

        return tags;
    }

    /// <summary>A string or a list of strings (the YAML forms <c>tag</c> and <c>[tag, merge]</c>); anything else is an error at <paramref name="at"/>.</summary>
    internal static IEnumerable<string> Strings(JsonNode? node, string at, List<string> errors)
    {
        switch (node)
        {
            case null:
                return [];
            case JsonValue value when value.TryGetValue(out string? single):
                return [single];
            case JsonArray array when array.All(n => n is JsonValue v && v.TryGetValue(out string? _)):
                return array.Select(n => n!.GetValue<string>());
            default:
                errors.Add($"{at}: must be a string or a list of strings");
                return [];
        }
    }

    private static string? Text(JsonObject obj, string key) =>
        obj[key] is JsonValue value ? value.ToString() : null;

    private static void ReportUnknownKeys(JsonObject obj, string at, string[] known, List<string> errors)
    {
        foreach (var key in obj.Select(p => p.Key).Where(k => !known.Contains(k)))
        {
            errors.Add($"{at}: unknown key '{key}' (expected {string.Join(", ", known)})");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex RouteName();

}
