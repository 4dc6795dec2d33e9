using Bridge.Tests.EndToEnd;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Identity;

/// <summary>Routes that exercise the allow rules and commit verification, and a stack with them and an issuer of its own.</summary>
internal static class IdentityRoutes
{
    public const string ProductionEnvironment = "{7c9e6679-7425-40de-944b-e07fc1f90ae7}";
    public const string StagingEnvironment = "{16fd2706-8baf-433b-82eb-8c7fada847da}";
    public const string RejectReasonHeader = Bridge.Worker.Queue.FailureReasonHeaderFilter.RejectReasonHeader;

    public const string Routes = $$$"""
        routes:
          - name: release
            match: { repository: "acme/*", events: [tag], ref: "v*" }
            deployment: release-flow/production
            parameters: { commit: "{{ commit }}" }
            statusName: "Release (Prefect)"
          - name: merge-checks
            match: { repository: "acme/*", events: [merge], ref: main }
            deployment: checks-flow/default
          - name: deploy-production
            match: { repository: "acme/*", events: [tag], ref: "prod-*" }
            deployment: docs-flow/default
            allow: { repositories: ["acme/api"], tags: ["prod-*"], environments: ["{{{ProductionEnvironment}}}"] }
          - name: unverified
            match: { repository: "acme/*", events: [tag], ref: "nv-*" }
            deployment: release-flow/production
            verifyCommit: false
          - name: release-webhook
            match: { repository: "acme/*", events: [tag], ref: "v*" }
            deployment: release-flow/production
            parameters: { commit: "{{ commit }}" }
            webhooks: [repo:push]
          - name: merged-pull-request
            match: { repository: "acme/*", events: [merge], ref: main }
            deployment: checks-flow/default
            webhooks: [pullrequest:fulfilled]
          - name: hotfix-webhook
            match: { repository: "acme/*", events: [tag], ref: "hotfix-*" }
            deployment: release-flow/production
            parameters: { commit: "{{ commit }}" }
            webhooks: [repo:push]
            allow: { repositories: ["acme/api"] }
        """;

    /// <summary>
    /// A worker with these routes whose <c>acme</c> issuer is this test's own (same slug, UUID and issuer URL as
    /// <see cref="Bridge.Sandbox.Emulators.SampleWorkspace"/>, but its own keys), so rotating it touches no other test.
    /// </summary>
    public static BridgeStack.Builder Stack(RabbitMqBroker broker) => BridgeStack.On(broker).WithRoutes(Routes).WithOwnIssuer();

    public static string RejectReason(this DeadLetter dead) =>
        dead.Headers.TryGetValue(RejectReasonHeader, out var value) && value is string text
            ? text
            : throw new Xunit.Sdk.XunitException($"The dead letter has no {RejectReasonHeader} header; headers: {dead.HeaderText}");
}
