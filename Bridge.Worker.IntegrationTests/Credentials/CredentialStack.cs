using Bridge.Contracts;
using Bridge.Sandbox.Emulators;
using Bridge.Sandbox.Emulators.Aws;
using Bridge.Sandbox.Emulators.Entra;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Bridge.Worker.Credentials;
using Microsoft.Extensions.Logging;
using SandboxStack = Bridge.Sandbox.Runner.SandboxStack;

namespace Bridge.Tests.Credentials;

/// <summary>
/// The worker on the test broker with the STS and Entra emulators behind it: the STS trusts the sample workspace's
/// issuer; Entra resolves Bridge's issuer (<see cref="IssuerUrl"/>) to the worker's own discovery endpoint and trusts
/// the emulator's generated certificate through <c>Bridge:Credentials:Azure:TrustedCertificateFile</c>. The issuer key
/// and the certificate file are generated in a temporary folder and deleted with the stack.
/// </summary>
internal sealed class CredentialStack : IAsyncDisposable
{
    public const string IssuerUrl = "https://bridge.test/oidc";
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

    private readonly string folder;

    private CredentialStack(SandboxStack stack, StsEmulator sts, EntraEmulator entra, string clientId, string folder)
    {
        Stack = stack;
        Sts = sts;
        Entra = entra;
        ClientId = clientId;
        this.folder = folder;
    }

    public SandboxStack Stack { get; }

    public StsEmulator Sts { get; }

    public EntraEmulator Entra { get; }

    /// <summary>Unique per stack: MSAL's process-wide throttling is keyed by client, tenant and scope.</summary>
    public string ClientId { get; }

    public static async Task<CredentialStack> StartAsync(RabbitMqBroker broker, ILoggerProvider? logs = null)
    {
        var folder = Directory.CreateTempSubdirectory("bridge-credentials-").FullName;
        var sts = await StsEmulator.StartAsync();
        var entra = await EntraEmulator.StartAsync();
        var keyFile = Path.Combine(folder, "issuer.pem");
        await File.WriteAllTextAsync(keyFile, IssuerKeys.NewPem());
        var certificateFile = Path.Combine(folder, "entra-ca.pem");
        await File.WriteAllTextAsync(certificateFile, entra.CertificatePem);
        var clientId = Guid.NewGuid().ToString();
        var settings = new Dictionary<string, string?>
        {
            ["Bridge:Credentials:Aws:ServiceUrl"] = sts.ServiceUrl,
            ["Bridge:Credentials:Aws:RetryBaseDelay"] = "00:00:00.010",
            ["Bridge:Credentials:Azure:AuthorityHost"] = entra.AuthorityHost,
            ["Bridge:Credentials:Azure:TrustedCertificateFile"] = certificateFile,
            ["Bridge:Credentials:Azure:MaxRetries"] = "0",
            ["Bridge:Credentials:Issuer:Url"] = IssuerUrl,
            ["Bridge:Credentials:Issuer:SigningKeyFiles:0"] = keyFile,
        };
        var stack = await WorkerOnBroker.StartAsync(broker, logs, Routes.Replace("{{clientId}}", clientId, StringComparison.Ordinal), settings);
        var worker = stack.Worker.Urls.First().TrimEnd('/');
        entra.ResolveIssuer(IssuerUrl, worker + new Uri(IssuerUrl).AbsolutePath);
        entra.ResolveIssuer(SampleWorkspace.Issuer, stack.Bitbucket.IssuerUrl(SampleWorkspace.Slug));
        sts.TrustProvider(SampleWorkspace.Issuer, SampleWorkspace.Oidc.Jwks);
        var audience = SampleWorkspace.Oidc.DefaultAudience;
        sts.AddRole(new StsRole { Arn = SharedRole, Issuer = SampleWorkspace.Issuer, Audience = audience, SubjectPattern = "*", MaxSessionDurationSeconds = 3600 });
        sts.AddRole(new StsRole { Arn = ApiOnlyRole, Issuer = SampleWorkspace.Issuer, Audience = audience, SubjectPattern = SampleEvents.RepositoryUuid + ":*" });
        return new CredentialStack(stack, sts, entra, clientId, folder);
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

    public async ValueTask DisposeAsync()
    {
        await Stack.DisposeAsync();
        await Sts.DisposeAsync();
        await Entra.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }
}
