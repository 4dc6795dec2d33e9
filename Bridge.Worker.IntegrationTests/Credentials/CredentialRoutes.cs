using Bridge.Contracts;
using Bridge.Sandbox.Emulators;
using Bridge.Sandbox.Emulators.Aws;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;

namespace Bridge.Tests.Credentials;

/// <summary>
/// Routes with AWS and Azure credentials, and a stack for them: the STS trusts the sample workspace's issuer and knows
/// <see cref="SharedRole"/> and <see cref="ApiOnlyRole"/>; Entra resolves Bridge's issuer to the worker's own discovery
/// endpoint and is trusted through a generated certificate (see <see cref="BridgeStack.Builder.WithEntra"/>).
/// </summary>
internal static class CredentialRoutes
{
    public const string IssuerUrl = BridgeStack.Builder.BridgeIssuerUrl;
    public const string Tenant = "11111111-2222-3333-4444-555555555555";
    public const string SharedRole = "arn:aws:iam::123456789012:role/deploy-shared";
    public const string ApiOnlyRole = "arn:aws:iam::123456789012:role/deploy-api-only";
    public const string OtherRepositoryUuid = "{0b7c6f2e-9d3a-4c1e-8f5b-2a4d6e8f0c1b}";

    public const string Routes = $$$"""
        routes:
          - name: aws-shared
            match: { repository: "acme/*", events: [tag], ref: "aws-*" }
            deployment: release-flow/production
            credentials:
              aws:
                roleArn: {{{SharedRole}}}
                region: eu-west-1
                durationSeconds: 900
                sessionPolicy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "s3:GetObject", Resource: "*" }] }
                policyArns: [ "arn:aws:iam::aws:policy/ReadOnlyAccess" ]
          - name: aws-api-only
            match: { repository: "acme/*", events: [tag], ref: "api-*" }
            deployment: release-flow/production
            statusName: "Deploy API"
            credentials: { aws: { roleArn: {{{ApiOnlyRole}}} } }
          - name: azure
            match: { repository: "acme/*", events: [tag], ref: "az-*" }
            deployment: release-flow/production
            credentials:
              azure: { tenantId: "{{{Tenant}}}", clientId: "{{clientId}}", scope: "https://management.azure.com/.default" }
          - name: azure-direct
            match: { repository: "acme/*", events: [tag], ref: "azd-*" }
            deployment: release-flow/production
            credentials:
              azure: { tenantId: "{{{Tenant}}}", clientId: "{{clientId}}", scope: "https://storage.azure.com/.default", assertion: step }
        """;

    public static BridgeStack.Builder Stack(RabbitMqBroker broker) =>
        BridgeStack.On(broker).WithRoutes(Routes).WithSts(AddRoles).WithEntra();

    private static void AddRoles(StsEmulator sts)
    {
        var audience = SampleWorkspace.Oidc.DefaultAudience;
        sts.AddRole(new StsRole { Arn = SharedRole, Issuer = SampleWorkspace.Issuer, Audience = audience, SubjectPattern = "*", MaxSessionDurationSeconds = 3600 });
        sts.AddRole(new StsRole { Arn = ApiOnlyRole, Issuer = SampleWorkspace.Issuer, Audience = audience, SubjectPattern = SampleEvents.RepositoryUuid + ":*" });
    }

    /// <summary>A signed tag event of <paramref name="repository"/> (acme/api has the sample UUID; others <see cref="OtherRepositoryUuid"/>).</summary>
    public static PipelineEvent Tag(string tag, string repository = "acme/api")
    {
        var message = SampleEvents.UnsignedTag(tag, repository);
        if (repository != "acme/api")
        {
            message = message with { Repository = new RepositoryInfo { FullName = repository, Uuid = OtherRepositoryUuid } };
        }

        return SampleWorkspace.Issue(message);
    }
}
