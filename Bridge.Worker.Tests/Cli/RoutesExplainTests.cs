using Bridge.Tests.Captures;
using Bridge.Tests.Support;
using Bridge.Worker.Cli;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Cli;

/// <summary><c>bridge routes explain</c> on pipeline events and on real captured webhook deliveries, in-process.</summary>
public sealed class RoutesExplainTests : IDisposable
{
    private const string Routes = """
        routes:
          - name: release
            match: { repository: "acme/*", events: [tag], ref: "v*" }
            deployment: release/production
            parameters:
              commit: "{{ commit }}"
              build_number: "{{ buildNumber }}"
              title: "Build {{ buildNumber }}"
              dry_run: false
              pr: "{{ pullRequestId }}"
            tags: [release]
            statusName: "Release (Prefect)"
            allow: { tags: ["v*"], environments: [production] }
          - name: docs
            match: { repository: "acme/docs", events: merge, ref: main }
            deployment: docs/publish
          - name: strict
            match: { repository: "acme/api", events: [tag] }
            deployment: release/strict
            allow: { tags: ["release-*"] }
            verifyCommit: false
          - name: pushes
            match: { repository: "smalot/*" }
            deployment: hooks/push
            webhooks: [repo:push]
        """;

    private readonly string folder = Directory.CreateTempSubdirectory("bridge-explain-").FullName;

    [Fact]
    public void A_matching_route_shows_its_parameters_with_json_types_tags_status_and_allow_rules()
    {
        var (exit, output, _) = Explain(Routes.Replace("  - name: strict", "  - name: strict-off", StringComparison.Ordinal).Replace("release-*", "v*", StringComparison.Ordinal), EventFile());

        Assert.Equal(0, exit);
        Assert.Contains("Pipeline event ", output, StringComparison.Ordinal);
        Assert.Contains("Not checked here: the step's OIDC token", output, StringComparison.Ordinal);
        Assert.Contains("route release: matches → release/production", output, StringComparison.Ordinal);
        Assert.Contains("    commit = \"0123456789abcdef0123456789abcdef01234567\" (string)", output, StringComparison.Ordinal);
        Assert.Contains("    build_number = 128 (number)", output, StringComparison.Ordinal);
        Assert.Contains("    title = \"Build 128\" (string)", output, StringComparison.Ordinal);
        Assert.Contains("    dry_run = false (boolean)", output, StringComparison.Ordinal);
        Assert.Contains("    pr = null (null)", output, StringComparison.Ordinal);
        Assert.Contains("  flow run:    api-v1.4.0-0123456", output, StringComparison.Ordinal);
        Assert.Contains("  tags:        bridge, bridge-route:release, bridge-event:", output, StringComparison.Ordinal);
        Assert.Contains(", release\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"  status:      \"Release (Prefect)\", key {Bridge.Worker.Bitbucket.StatusKeys.For("release", "release/production")}", output, StringComparison.Ordinal);
        Assert.Contains("  allow:       allowed by tags [v*]", output, StringComparison.Ordinal);
        Assert.Contains("would check: the verified token's deployment environment is one of [production] (not checked here)", output, StringComparison.Ordinal);
        Assert.Contains("  commit:      would be checked against pipeline", output, StringComparison.Ordinal);
        Assert.Contains("  commit:      not checked (verifyCommit: false)", output, StringComparison.Ordinal);
        Assert.Contains("Verdict: 2 flow run(s) would start (release, strict-off)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_route_that_does_not_match_says_why()
    {
        var (_, output, _) = Explain(Routes, EventFile());

        Assert.Contains("route docs: does not match\n  - kind: tag is not in match.events [merge]\n  - repository: acme/api does not match match.repository 'acme/docs'\n  - ref: v1.4.0 does not match match.ref 'main'", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("route pushes: does not match\n  - takes repo:push webhooks only, not pipeline events\n  - repository: acme/api does not match match.repository 'smalot/*'", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_matched_route_whose_allow_rules_refuse_makes_the_verdict_a_rejection()
    {
        var (exit, output, _) = Explain(Routes, EventFile());

        Assert.Equal(0, exit);
        Assert.Contains("route strict: matches → release/strict\n  allow:       refuses: Rejected (ref-not-allowed): route strict: tag v1.4.0 may not trigger it", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Verdict: the worker would reject it, starting nothing: Rejected (ref-not-allowed): route strict", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_captured_tag_push_with_its_captured_headers_matches_the_route_that_opted_in()
    {
        var body = Write("body.json", CaptureFiles.Webhook("smalot-push-tag-body.json"));
        var headers = Write("headers.txt", System.Text.Encoding.UTF8.GetBytes(string.Join('\n', CaptureFiles.SmalotHeaders().Select(h => $"{h.Key}: {h.Value}"))));

        var (exit, output, _) = Explain(Routes, ExplainInput.Webhook(body, headers));

        Assert.Equal(0, exit);
        Assert.Contains("Webhook delivery 07606ab4-601c-4ca4-8c93-b979d3c7b3a1 (repo:push)", output, StringComparison.Ordinal);
        Assert.Contains("Not checked here: the signature", output, StringComparison.Ordinal);
        Assert.Contains("tag v0.1 of smalot/repo-test-1", output, StringComparison.Ordinal);
        Assert.Contains("route pushes: matches → hooks/push", output, StringComparison.Ordinal);
        Assert.Contains("route release: does not match\n  - webhooks: does not opt in to webhooks (no 'webhooks: [repo:push]'); it takes pipeline events", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("  flow run:    repo-test-1-v0.1-", output, StringComparison.Ordinal);
        Assert.Contains("Verdict: 1 flow run(s) would start (pushes)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_captured_pull_request_merge_says_its_abbreviated_commit_is_expanded_by_the_worker()
    {
        var routes = Routes.Replace("webhooks: [repo:push]", "webhooks: [pullrequest:fulfilled]", StringComparison.Ordinal).Replace("smalot/*", "cloudbeers/*", StringComparison.Ordinal);
        var body = Write("body.json", CaptureFiles.Webhook("jenkins-events-fulfilledPayload.json"));
        var headers = Write("headers.txt", "X-Event-Key: pullrequest:fulfilled\nX-Request-UUID: {0b4f2d2e-1111-4c4c-9d9d-222233334444}\n"u8.ToArray());

        var (exit, output, _) = Explain(routes, ExplainInput.Webhook(body, headers));

        Assert.Equal(0, exit);
        Assert.Contains("merge into main of cloudbeers/temp", output, StringComparison.Ordinal);
        Assert.Contains("at 1986c2284946, pull request 2 (abbreviated; the worker expands it through Bitbucket", output, StringComparison.Ordinal);
        Assert.Contains("route pushes: matches → hooks/push", output, StringComparison.Ordinal);
        Assert.Contains("  allow:       no rules (allowed)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_key_bridge_does_not_read_is_acknowledged_and_starts_nothing()
    {
        var body = Write("body.json", CaptureFiles.Webhook("smalot-push-tag-body.json"));
        var headers = Write("headers.txt", "X-Event-Key: repo:commit_status_updated\nX-Request-UUID: 1\n"u8.ToArray());

        var (exit, output, _) = Explain(Routes, ExplainInput.Webhook(body, headers));

        Assert.Equal(0, exit);
        Assert.Contains("the ingress acknowledges this delivery and queues nothing", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_event_or_routes_file_exits_2_naming_the_fields()
    {
        var badEvent = Write("bad.json", "{\"version\":1,\"kind\":\"tag\",\"workspace\":{\"slug\":\"acme\",\"uuid\":\"x\"},\"repository\":{\"fullName\":\"acme/api\",\"uuid\":\"{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}\"},\"commit\":\"abc\",\"ref\":{\"name\":\"v1\",\"type\":\"tag\"},\"pipelineUuid\":\"{5a7c0a7e-8d0b-4f8e-9c33-1b2d3e4f5a6b}\",\"stepUuid\":\"{6b8d1b8f-9e1c-4a9f-8d44-2c3e4f5a6b7c}\",\"buildNumber\":1,\"occurredAt\":\"2026-01-01T00:00:00Z\"}"u8.ToArray());

        var (eventExit, _, eventError) = Explain(Routes, ExplainInput.Event(badEvent));
        var (routesExit, _, routesError) = Explain(Routes.Replace("{{ commit }}", "{{ sha }}", StringComparison.Ordinal), EventFile());

        Assert.Equal(2, eventExit);
        Assert.Contains("is not a valid PipelineEvent", eventError, StringComparison.Ordinal);
        Assert.Contains("  - workspace.uuid: must be a UUID in braces", eventError, StringComparison.Ordinal);
        Assert.Contains("  - commit: must be the full 40-character hexadecimal SHA", eventError, StringComparison.Ordinal);
        Assert.Equal(2, routesExit);
        Assert.Contains("routes[0] ('release').parameters.commit: unknown placeholder '{{ sha }}'", routesError, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private ExplainInput EventFile() => ExplainInput.Event(Write("event.json", """
        {
          "version": 1, "kind": "tag",
          "workspace": { "slug": "acme", "uuid": "{922e118c-f34f-4226-a897-0e0afbec553d}" },
          "repository": { "fullName": "acme/api", "uuid": "{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}" },
          "commit": "0123456789abcdef0123456789abcdef01234567",
          "ref": { "name": "v1.4.0", "type": "tag" },
          "pipelineUuid": "{5a7c0a7e-8d0b-4f8e-9c33-1b2d3e4f5a6b}", "stepUuid": "{6b8d1b8f-9e1c-4a9f-8d44-2c3e4f5a6b7c}",
          "buildNumber": 128, "occurredAt": "2026-11-22T10:00:00+00:00", "oidcToken": "***"
        }
        """u8.ToArray()));

    private (int Exit, string Output, string Error) Explain(string routes, ExplainInput input)
    {
        var routesFile = Write("routes.yaml", System.Text.Encoding.UTF8.GetBytes(routes));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = RoutesExplain.Run(routesFile, input, output, error, new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero)));
        return (exit, output.ToString(), error.ToString());
    }

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }
}
