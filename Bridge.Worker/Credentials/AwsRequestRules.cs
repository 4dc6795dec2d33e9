using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bridge.Worker.Credentials;

/// <summary>
/// What STS accepts for AssumeRoleWithWebIdentity (the SDK sends whatever it is given, so Bridge checks before calling):
/// role ARN, duration, session name, inline policy and managed policy ARNs.
/// </summary>
internal static partial class AwsRequestRules
{
    public const int MinDuration = 900;
    public const int MaxDuration = 43_200;
    public const int MaxPolicyLength = 2048;
    public const int MaxPolicyArns = 10;

    public static IEnumerable<string> Check(AwsRoute aws, string at)
    {
        if (aws.RoleArn.Length is < 20 or > 2048 || !RoleArn().IsMatch(aws.RoleArn))
        {
            yield return $"{at}.roleArn: must be an IAM role ARN, e.g. arn:aws:iam::123456789012:role/deploy (got '{aws.RoleArn}')";
        }

        if (aws.DurationSeconds is < MinDuration or > MaxDuration)
        {
            yield return $"{at}.durationSeconds: must be between {MinDuration} and {MaxDuration} seconds (got {aws.DurationSeconds})";
        }

        if (aws.SessionPolicy is { } policy && PolicyProblem(policy) is { } problem)
        {
            yield return $"{at}.sessionPolicy: {problem}";
        }

        if (aws.PolicyArns.Count > MaxPolicyArns)
        {
            yield return $"{at}.policyArns: at most {MaxPolicyArns} managed policy ARNs (got {aws.PolicyArns.Count})";
        }

        foreach (var arn in aws.PolicyArns.Where(a => a.Length is < 20 or > 2048 || !PolicyArn().IsMatch(a)))
        {
            yield return $"{at}.policyArns: '{arn}' is not a managed policy ARN, e.g. arn:aws:iam::aws:policy/ReadOnlyAccess";
        }

        if (aws.Region is { } region && !Region().IsMatch(region))
        {
            yield return $"{at}.region: '{region}' is not an AWS region name, e.g. eu-west-1";
        }
    }

    public static bool IsRegion(string region) => Region().IsMatch(region);

    public static bool IsSessionName(string name) => name.Length is >= 2 and <= 64 && SessionNameChars().IsMatch(name);

    /// <summary>
    /// A session name that traces back to the repository and the build (CloudTrail shows it and it ends the assumed-role
    /// ARN): <c>{repo-slug}.{buildNumber}</c>, other characters replaced by '-', the slug shortened so it fits 64.
    /// </summary>
    public static string SessionName(string repositoryFullName, long buildNumber)
    {
        var build = "." + buildNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var slug = NotSessionNameChar().Replace(repositoryFullName.Split('/')[^1], "-");
        slug = slug.Length + build.Length > 64 ? slug[..(64 - build.Length)] : slug;
        var name = slug + build;
        return name.Length >= 2 ? name : "bb" + name;
    }

    private static string? PolicyProblem(string policy)
    {
        if (policy.Length is < 1 or > MaxPolicyLength)
        {
            return $"must be 1–{MaxPolicyLength} characters (got {policy.Length})";
        }

        if (policy.Any(c => c is not ('\t' or '\n' or '\r') && (c < ' ' || c > '\u00FF')))
        {
            return "may only contain tab, line breaks and the characters U+0020–U+00FF";
        }

        try
        {
            return JsonNode.Parse(policy) is JsonObject { } document && document["Statement"] is JsonArray or JsonObject
                ? null
                : "must be an IAM policy document (a JSON object with Version and Statement)";
        }
        catch (JsonException ex)
        {
            return $"is not valid JSON ({ex.Message})";
        }
    }

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")]
    private static partial Regex RoleArn();

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::(\d{12}|aws):policy/[\w+=,.@/-]{1,512}$")]
    private static partial Regex PolicyArn();

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-\d$")]
    private static partial Regex Region();

    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@-]+$")]
    private static partial Regex SessionNameChars();

    [GeneratedRegex(@"[^A-Za-z0-9_+=,.@-]")]
    private static partial Regex NotSessionNameChar();
}
