using System.Text.Json.Nodes;
using Bridge.Worker.Bitbucket;

namespace Bridge.Worker.Routing;

/// <summary>Reads a route's <c>allow:</c> mapping (repositories, branches, tags, environments) and <c>verifyCommit</c>.</summary>
internal static class RouteAllowFile
{
    public static readonly string[] Keys = ["repositories", "branches", "tags", "environments"];

    public static RouteAllow Read(JsonNode? node, string at, List<string> errors)
    {
        if (node is null)
        {
            return RouteAllow.Anything;
        }

        if (node is not JsonObject allow)
        {
            errors.Add($"{at}.allow: must be a mapping with any of {string.Join(", ", Keys)}");
            return RouteAllow.Anything;
        }

        foreach (var key in allow.Select(p => p.Key).Where(k => !Keys.Contains(k)))
        {
            errors.Add($"{at}.allow: unknown key '{key}' (expected {string.Join(", ", Keys)})");
        }

        var repositories = RouteFile.Strings(allow["repositories"], $"{at}.allow.repositories", errors).ToList();
        var environments = RouteFile.Strings(allow["environments"], $"{at}.allow.environments", errors).ToList();
        if (environments.Any(string.IsNullOrWhiteSpace) || repositories.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{at}.allow: repositories and environments must not contain empty entries");
        }

        return new RouteAllow
        {
            RepositoryUuids = [.. repositories.Where(BitbucketUuid.IsBraced)],
            Repositories = [.. repositories.Where(r => !BitbucketUuid.IsBraced(r)).Select(r => new GlobPattern(r, ignoreCase: true))],
            Branches = [.. RouteFile.Strings(allow["branches"], $"{at}.allow.branches", errors).Select(b => new GlobPattern(RefNames.Bare(b), ignoreCase: false))],
            Tags = [.. RouteFile.Strings(allow["tags"], $"{at}.allow.tags", errors).Select(t => new GlobPattern(RefNames.Bare(t), ignoreCase: false))],
            Environments = environments,
        };
    }

    /// <summary><c>verifyCommit</c>: true unless the route says false.</summary>
    public static bool ReadVerifyCommit(JsonNode? node, string at, List<string> errors)
    {
        if (node is null)
        {
            return true;
        }

        if (node is JsonValue value && value.TryGetValue(out bool verify))
        {
            return verify;
        }

        errors.Add($"{at}.verifyCommit: must be true or false (whether the commit and ref are checked against Bitbucket's pipeline record)");
        return true;
    }

}
