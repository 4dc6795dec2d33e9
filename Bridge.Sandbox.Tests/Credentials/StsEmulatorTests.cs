using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Bridge.Sandbox.Emulators;
using Bridge.Sandbox.Emulators.Aws;
using Bridge.Tests.Support;

namespace Bridge.Tests.Credentials;

/// <summary>The STS emulator keeps to the Query protocol, the XML answers and the error codes AWSSDK.SecurityToken expects.</summary>
public sealed class StsEmulatorTests : IAsyncLifetime
{
    private const string Role = "arn:aws:iam::123456789012:role/ci-deploy";
    private static readonly XNamespace Ns = "https://sts.amazonaws.com/doc/2011-06-15/";
    private readonly OidcWorkspace issuer = new(SampleWorkspace.Slug, SampleWorkspace.Uuid, SampleWorkspace.Issuer);
    private StsEmulator sts = null!;

    public async Task InitializeAsync()
    {
        sts = await StsEmulator.StartAsync();
        sts.TrustProvider(issuer.Issuer, issuer.Jwks);
        sts.AddRole(new StsRole
        {
            Arn = Role, Issuer = issuer.Issuer, Audience = issuer.DefaultAudience, SubjectPattern = SampleEvents.RepositoryUuid + ":*",
        });
    }

    public async Task DisposeAsync() => await sts.DisposeAsync();

    [Fact]
    public async Task Sdk_receives_credentials_for_a_token_the_trust_policy_allows()
    {
        using var client = Client(maxErrorRetry: 2);
        var token = Mint(SampleEvents.RepositoryUuid);

        var response = await client.AssumeRoleWithWebIdentityAsync(Request(token));

        var issued = Assert.Single(sts.Issued);
        Assert.Equal(issued.AccessKeyId, response.Credentials.AccessKeyId);
        Assert.Equal(issued.SessionToken, response.Credentials.SessionToken);
        Assert.StartsWith("ASIA", response.Credentials.AccessKeyId, StringComparison.Ordinal);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/ci-deploy/api.128", response.AssumedRoleUser.Arn);
        Assert.StartsWith(SampleEvents.RepositoryUuid + ":", response.SubjectFromWebIdentityToken, StringComparison.Ordinal);
        Assert.Equal("api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc", response.Provider);
        Assert.Equal(issuer.DefaultAudience, response.Audience);
        var call = Assert.Single(sts.Calls);
        Assert.Equal(1, call.Attempt);
        Assert.Equal(["arn:aws:iam::aws:policy/ReadOnlyAccess"], call.PolicyArns);
    }

    [Fact]
    public async Task Token_of_another_repository_is_AccessDenied_in_an_ErrorResponse()
    {
        using var http = new HttpClient();
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Action"] = "AssumeRoleWithWebIdentity", ["Version"] = "2011-06-15", ["RoleArn"] = Role, ["RoleSessionName"] = "web.1",
            ["WebIdentityToken"] = Mint("{0b7c6f2e-9d3a-4c1e-8f5b-2a4d6e8f0c1b}"),
        });

        using var response = await http.PostAsync(new Uri(sts.ServiceUrl + "/"), form);

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        var error = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal(Ns + "ErrorResponse", error.Name);
        Assert.Equal("Sender", error.Element(Ns + "Error")!.Element(Ns + "Type")!.Value);
        Assert.Equal("AccessDenied", error.Element(Ns + "Error")!.Element(Ns + "Code")!.Value);
        Assert.Equal("Not authorized to perform sts:AssumeRoleWithWebIdentity", error.Element(Ns + "Error")!.Element(Ns + "Message")!.Value);
        Assert.False(string.IsNullOrEmpty(error.Element(Ns + "RequestId")!.Value));
    }

    [Fact]
    public async Task Injected_faults_reach_the_sdk_as_its_own_exceptions_and_its_retries_are_counted()
    {
        using var client = Client(maxErrorRetry: 2);
        sts.FailNext("IDPCommunicationError", 3);
        sts.FailNext("Throttling");

        await Assert.ThrowsAsync<IDPCommunicationErrorException>(() => client.AssumeRoleWithWebIdentityAsync(Request(Mint(SampleEvents.RepositoryUuid))));
        Assert.Equal([1, 2, 3], sts.Calls.Select(c => c.Attempt));

        using var once = Client(maxErrorRetry: 0);
        var throttled = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => once.AssumeRoleWithWebIdentityAsync(Request(Mint(SampleEvents.RepositoryUuid))));
        Assert.Equal("Throttling", throttled.ErrorCode);
    }

    [Fact]
    public async Task A_random_share_of_IDPCommunicationError_follows_its_seed_and_stops_at_zero()
    {
        using var client = Client(maxErrorRetry: 0);
        async Task<string> CodesAsync(int seed)
        {
            sts.FailAtRandom(seed, "IDPCommunicationError", 0.3);
            var codes = "";
            for (var i = 0; i < 40; i++)
            {
                try
                {
                    await client.AssumeRoleWithWebIdentityAsync(Request(Mint(SampleEvents.RepositoryUuid)));
                    codes += '.';
                }
                catch (IDPCommunicationErrorException e)
                {
                    Assert.Equal(400, (int)e.StatusCode);
                    codes += 'x';
                }
            }

            return codes;
        }

        var first = await CodesAsync(7);
        var again = await CodesAsync(7);
        sts.FailAtRandom(7, "IDPCommunicationError", 0);
        await client.AssumeRoleWithWebIdentityAsync(Request(Mint(SampleEvents.RepositoryUuid)));

        Assert.Equal(first, again);
        Assert.InRange(first.Count(c => c == 'x'), 4, 20);
        Assert.Equal(first.Count(c => c == 'x') * 2, sts.Calls.Count(c => c.ErrorCode == "IDPCommunicationError"));
        Assert.Throws<ArgumentException>(() => sts.FailAtRandom(7, "NoSuchCode", 0.3));
    }

    [Fact]
    public async Task Out_of_bounds_duration_and_session_name_are_ValidationErrors_and_a_bad_policy_is_MalformedPolicyDocument()
    {
        using var client = Client(maxErrorRetry: 0);
        var token = Mint(SampleEvents.RepositoryUuid);

        var duration = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => client.AssumeRoleWithWebIdentityAsync(WithDuration(Request(token), 60)));
        var name = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => client.AssumeRoleWithWebIdentityAsync(WithSessionName(Request(token), "x")));
        var overRole = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => client.AssumeRoleWithWebIdentityAsync(WithDuration(Request(token), 7200)));
        var policy = await Assert.ThrowsAsync<MalformedPolicyDocumentException>(() => client.AssumeRoleWithWebIdentityAsync(WithPolicy(Request(token), "{not json")));

        Assert.Equal("ValidationError", duration.ErrorCode);
        Assert.Contains("durationSeconds", duration.Message, StringComparison.Ordinal);
        Assert.Equal("ValidationError", name.ErrorCode);
        Assert.Contains("MaxSessionDuration", overRole.Message, StringComparison.Ordinal);
        Assert.Equal("MalformedPolicyDocument", policy.ErrorCode);
    }

    [Fact]
    public async Task Expired_token_is_ExpiredTokenException()
    {
        using var client = Client(maxErrorRetry: 0);
        var now = DateTimeOffset.UtcNow;
        var token = issuer.Mint(new StepToken
        {
            RepositoryUuid = SampleEvents.RepositoryUuid, PipelineUuid = SampleEvents.Braced(), StepUuid = SampleEvents.Braced(),
            IssuedAt = now.AddHours(-2), ExpiresAt = now.AddHours(-1),
        });

        await Assert.ThrowsAsync<ExpiredTokenException>(() => client.AssumeRoleWithWebIdentityAsync(Request(token)));
    }

    private AmazonSecurityTokenServiceClient Client(int maxErrorRetry) => new(
        new AnonymousAWSCredentials(),
        new AmazonSecurityTokenServiceConfig { ServiceURL = sts.ServiceUrl, AuthenticationRegion = "eu-west-1", MaxErrorRetry = maxErrorRetry });

    private string Mint(string repositoryUuid) =>
        issuer.Mint(new StepToken { RepositoryUuid = repositoryUuid, PipelineUuid = SampleEvents.Braced(), StepUuid = SampleEvents.Braced() });

    private static AssumeRoleWithWebIdentityRequest Request(string token) => new()
    {
        RoleArn = Role,
        RoleSessionName = "api.128",
        WebIdentityToken = token,
        DurationSeconds = 900,
        PolicyArns = [new PolicyDescriptorType { Arn = "arn:aws:iam::aws:policy/ReadOnlyAccess" }],
    };

    private static AssumeRoleWithWebIdentityRequest WithDuration(AssumeRoleWithWebIdentityRequest request, int seconds)
    {
        request.DurationSeconds = seconds;
        return request;
    }

    private static AssumeRoleWithWebIdentityRequest WithSessionName(AssumeRoleWithWebIdentityRequest request, string name)
    {
        request.RoleSessionName = name;
        return request;
    }

    private static AssumeRoleWithWebIdentityRequest WithPolicy(AssumeRoleWithWebIdentityRequest request, string policy)
    {
        request.Policy = policy;
        return request;
    }
}
