using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bridge.Worker.Routing;

namespace Bridge.Worker.Credentials;

/// <summary>Reads a route's <c>credentials:</c> mapping (<c>aws</c>, <c>azure</c>, <c>delivery</c>).</summary>
internal static partial class RouteCredentialsFile
{
    private static readonly string[] Keys = ["aws", "azure", "delivery"];
    private static readonly string[] AwsKeys = ["roleArn", "durationSeconds", "sessionPolicy", "policyArns", "region"];
    private static readonly string[] AzureKeys = ["tenantId", "clientId", "scope", "assertion"];

    public static RouteCredentials? Read(JsonNode? node, string at, List<string> errors)
    {
        if (node is null)
        {
            return null;
        }

        at += ".credentials";
        if (node is not JsonObject block)
        {
            errors.Add($"{at}: must be a mapping with any of {string.Join(", ", Keys)}");
            return null;
        }

        Unknown(block, at, Keys, errors);
        var delivery = Text(block, "delivery") ?? "env";
        if (delivery is not ("env" or "none"))
        {
            errors.Add($"{at}.delivery: '{delivery}' is not a delivery; use env (job_variables.env) or none");
        }

        var credentials = new RouteCredentials
        {
            Aws = ReadAws(block["aws"], $"{at}.aws", errors),
            Azure = ReadAzure(block["azure"], $"{at}.azure", errors),
            Delivery = delivery == "none" ? CredentialDelivery.None : CredentialDelivery.Env,
        };
        if (credentials.Aws is null && credentials.Azure is null && block["aws"] is null && block["azure"] is null)
        {
            errors.Add($"{at}: give aws and/or azure");
        }

        return credentials;
    }

    private static AwsRoute? ReadAws(JsonNode? node, string at, List<string> errors)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject aws)
        {
            errors.Add($"{at}: must be a mapping with roleArn and optionally {string.Join(", ", AwsKeys.Skip(1))}");
            return null;
        }

        Unknown(aws, at, AwsKeys, errors);
        var duration = 3600;
        if (aws["durationSeconds"] is { } d
            && !(d is JsonValue v && int.TryParse(v.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out duration)))
        {
            errors.Add($"{at}.durationSeconds: must be a whole number of seconds, {AwsRequestRules.MinDuration}–{AwsRequestRules.MaxDuration}");
        }

        var policy = aws["sessionPolicy"] switch
        {
            null => null,
            JsonObject document => document.ToJsonString(),
            JsonValue text when text.TryGetValue(out string? json) => json,
            _ => Invalid(errors, $"{at}.sessionPolicy: must be an IAM policy document, as a mapping or a JSON string"),
        };
        var route = new AwsRoute
        {
            RoleArn = Text(aws, "roleArn") ?? string.Empty,
            DurationSeconds = duration,
            SessionPolicy = policy,
            PolicyArns = [.. RouteFile.Strings(aws["policyArns"], $"{at}.policyArns", errors)],
            Region = Text(aws, "region"),
        };
        errors.AddRange(AwsRequestRules.Check(route, at));
        return route;
    }

    private static AzureRoute? ReadAzure(JsonNode? node, string at, List<string> errors)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject azure)
        {
            errors.Add($"{at}: must be a mapping with tenantId, clientId, scope and optionally assertion");
            return null;
        }

        Unknown(azure, at, AzureKeys, errors);
        var tenant = Text(azure, "tenantId");
        var client = Text(azure, "clientId");
        var scope = Text(azure, "scope");
        if (tenant is null || !Tenant().IsMatch(tenant))
        {
            errors.Add($"{at}.tenantId: required; the directory (tenant) ID, a GUID, or a domain like contoso.onmicrosoft.com");
        }

        if (client is null || !Guid.TryParse(client, out _))
        {
            errors.Add($"{at}.clientId: required; the application (client) ID of the app registration, a GUID");
        }

        if (string.IsNullOrWhiteSpace(scope) || scope.Any(char.IsWhiteSpace))
        {
            errors.Add($"{at}.scope: required; one scope, e.g. https://management.azure.com/.default");
        }

        var assertion = Text(azure, "assertion") ?? "bridge";
        if (assertion is not ("bridge" or "step"))
        {
            errors.Add($"{at}.assertion: '{assertion}' is not an assertion mode; use bridge (Bridge's own, stable subject) or step (the step token itself)");
        }

        return new AzureRoute
        {
            TenantId = tenant ?? string.Empty,
            ClientId = client ?? string.Empty,
            Scope = scope ?? string.Empty,
            Assertion = assertion == "step" ? AzureAssertion.Step : AzureAssertion.Bridge,
        };
    }

    private static string? Invalid(List<string> errors, string error)
    {
        errors.Add(error);
        return null;
    }

    private static string? Text(JsonObject obj, string key) => obj[key] is JsonValue value ? value.ToString() : null;

    private static void Unknown(JsonObject obj, string at, string[] known, List<string> errors)
    {
        foreach (var key in obj.Select(p => p.Key).Where(k => !known.Contains(k)))
        {
            errors.Add($"{at}: unknown key '{key}' (expected {string.Join(", ", known)})");
        }
    }

    [GeneratedRegex(@"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9.-]{1,253})$")]
    private static partial Regex Tenant();
}
