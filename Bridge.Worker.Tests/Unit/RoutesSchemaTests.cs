using System.Text.RegularExpressions;
using Bridge.Worker.Routing;
using NJsonSchema;

namespace Bridge.Tests.Unit;

/// <summary>
/// <c>schemas/routes.schema.json</c> stays true to the loader: every routes file the repository ships loads and
/// validates, and files the loader refuses are refused by the schema too.
/// </summary>
public sealed partial class RoutesSchemaTests
{
    private static readonly string Root = RepositoryRoot();

    public static TheoryData<string> ShippedFiles()
    {
        var files = new TheoryData<string> { "docker/routes.example.yaml", "Bridge.Sandbox/Runner/sandbox-routes.yaml" };
        foreach (var doc in Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Append(Path.Combine(Root, "README.md")).Order(StringComparer.Ordinal))
        {
            var blocks = YamlBlock().Matches(File.ReadAllText(doc)).Where(m => RoutesFile(m.Groups[1].Value)).ToList();
            for (var i = 0; i < blocks.Count; i++)
            {
                files.Add($"{Path.GetRelativePath(Root, doc)}#{i}");
            }
        }

        return files;
    }

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public async Task A_routes_file_the_repository_ships_loads_and_validates(string name)
    {
        var yaml = Example(name);

        Assert.Empty(Load(yaml));
        Assert.Empty(await ValidateAsync(yaml));
    }

    [Theory]
    [InlineData("""
        # yaml-language-server: $schema=../schemas/routes.schema.json
        routes:
          - name: deploy
            match: { repository: "{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}", events: tag, ref: "refs/tags/v*" }
            deployment: deploy/aws
            parameters: { nested: { list: ["{{ shortCommit }}", 3, null], flag: true }, n: 1.5, pr: "{{ pullRequestId }}" }
            tags: release
            statusName: 2026
            cancelSuperseded: false
            verifyCommit: false
            allow: { repositories: ["acme/*"], branches: main, tags: ["v*"], environments: [production] }
            credentials:
              delivery: none
              aws: { roleArn: "arn:aws:iam::123456789012:role/deploy", durationSeconds: 900, region: eu-west-1,
                     policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], sessionPolicy: { Version: "2012-10-17", Statement: [] } }
              azure: { tenantId: contoso.onmicrosoft.com, clientId: 0b4f2d2e-1111-4c4c-9d9d-222233334444, scope: "https://management.azure.com/.default", assertion: step }
          - name: hooks
            match: {}
            deployment: hooks/push
            webhooks: [repo:push, pullrequest:fulfilled]
            allow: { environments: [] }
        """)]
    public async Task Every_key_the_loader_takes_validates(string yaml)
    {
        Assert.Empty(Load(yaml));
        Assert.Empty(await ValidateAsync(yaml));
    }

    [Fact]
    public async Task Every_placeholder_the_worker_renders_validates_and_no_other()
    {
        var all = string.Join(' ', EventVariables.Names.Select(n => $"{{{{ {n} }}}}"));
        var yaml = $"routes:\n  - {{ name: a, match: {{}}, deployment: f/d, parameters: {{ all: '{all}', one: '{{{{{EventVariables.Names[^1]}}}}}' }} }}";

        Assert.Empty(Load(yaml));
        Assert.Empty(await ValidateAsync(yaml));
        Assert.NotEmpty(await ValidateAsync(yaml.Replace("{{ route }}", "{{ routes }}", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("no routes list", "other: []")]
    [InlineData("an empty routes list", "routes: []")]
    [InlineData("an unknown key", "routes:\n  - { name: a, match: {}, deployment: f/d, colour: blue }")]
    [InlineData("no deployment", "routes:\n  - { name: a, match: {} }")]
    [InlineData("a deployment without a slash", "routes:\n  - { name: a, match: {}, deployment: flow }")]
    [InlineData("a bad name", "routes:\n  - { name: 'a b', match: {}, deployment: f/d }")]
    [InlineData("an unknown event kind", "routes:\n  - { name: a, match: { events: [push] }, deployment: f/d }")]
    [InlineData("an unknown match key", "routes:\n  - { name: a, match: { branch: main }, deployment: f/d }")]
    [InlineData("an unknown placeholder", "routes:\n  - { name: a, match: {}, deployment: f/d, parameters: { c: 'x {{ sha }}' } }")]
    [InlineData("an unknown placeholder deep inside", "routes:\n  - { name: a, match: {}, deployment: f/d, parameters: { c: { d: ['{{ commit }}', '{{ refName }}'] } } }")]
    [InlineData("a reserved tag", "routes:\n  - { name: a, match: {}, deployment: f/d, tags: [Bridge-x] }")]
    [InlineData("a status name too long", "routes:\n  - { name: a, match: {}, deployment: f/d, statusName: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' }")]
    [InlineData("cancelSuperseded not a boolean", "routes:\n  - { name: a, match: {}, deployment: f/d, cancelSuperseded: 'yes' }")]
    [InlineData("an unknown allow key", "routes:\n  - { name: a, match: {}, deployment: f/d, allow: { users: [x] } }")]
    [InlineData("an unknown webhook event", "routes:\n  - { name: a, match: {}, deployment: f/d, webhooks: [repo:fork] }")]
    [InlineData("an empty webhooks list", "routes:\n  - { name: a, match: {}, deployment: f/d, webhooks: [] }")]
    [InlineData("webhooks with credentials", "routes:\n  - { name: a, match: {}, deployment: f/d, webhooks: [repo:push], credentials: { aws: { roleArn: 'arn:aws:iam::123456789012:role/deploy' } } }")]
    [InlineData("webhooks with cancelSuperseded", "routes:\n  - { name: a, match: {}, deployment: f/d, webhooks: [repo:push], cancelSuperseded: true }")]
    [InlineData("webhooks with environments", "routes:\n  - { name: a, match: {}, deployment: f/d, webhooks: [repo:push], allow: { environments: [production] } }")]
    [InlineData("credentials with no cloud", "routes:\n  - { name: a, match: {}, deployment: f/d, credentials: { delivery: env } }")]
    [InlineData("a bad role ARN", "routes:\n  - { name: a, match: {}, deployment: f/d, credentials: { aws: { roleArn: 'arn:aws:iam::1:user/x' } } }")]
    [InlineData("a duration out of range", "routes:\n  - { name: a, match: {}, deployment: f/d, credentials: { aws: { roleArn: 'arn:aws:iam::123456789012:role/deploy', durationSeconds: 60 } } }")]
    [InlineData("azure without a client", "routes:\n  - { name: a, match: {}, deployment: f/d, credentials: { azure: { tenantId: contoso.onmicrosoft.com, scope: x } } }")]
    [InlineData("an unknown delivery", "routes:\n  - { name: a, match: {}, deployment: f/d, credentials: { delivery: file, aws: { roleArn: 'arn:aws:iam::123456789012:role/deploy' } } }")]
    public async Task A_file_the_loader_refuses_the_schema_refuses_too(string what, string yaml)
    {
        Assert.True(Load(yaml).Count > 0, $"the loader took {what}");
        Assert.True((await ValidateAsync(yaml)).Count > 0, $"the schema took {what}");
    }

    private static IReadOnlyList<string> Load(string yaml) => RouteFile.Read(YamlToJson.Parse(new StringReader(yaml)), "routes.yaml").Errors;

    /// <summary>The file as the loader reads it (YamlToJson), validated against the schema.</summary>
    private static async Task<IReadOnlyList<string>> ValidateAsync(string yaml)
    {
        var schema = await JsonSchema.FromJsonAsync(await File.ReadAllTextAsync(Path.Combine(Root, "schemas", "routes.schema.json")));
        var json = YamlToJson.Parse(new StringReader(yaml))?.ToJsonString() ?? "null";
        return [.. schema.Validate(json).Select(e => $"{e.Path}: {e.Kind}")];
    }

    private static string Example(string name)
    {
        var at = name.IndexOf('#', StringComparison.Ordinal);
        if (at < 0)
        {
            return File.ReadAllText(Path.Combine(Root, name));
        }

        var blocks = YamlBlock().Matches(File.ReadAllText(Path.Combine(Root, name[..at]))).Select(m => m.Groups[1].Value).Where(RoutesFile).ToList();
        return blocks[int.Parse(name[(at + 1)..], System.Globalization.CultureInfo.InvariantCulture)];
    }

    /// <summary>A whole routes file (not a fragment of one): its first line that is not a comment is <c>routes:</c>.</summary>
    private static bool RoutesFile(string yaml) =>
        yaml.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#')) == "routes:";

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Bridge.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Bridge.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
