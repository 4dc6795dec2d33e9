using System.Net;
using Bridge.Sandbox.Emulators;
using Xunit;

namespace Bridge.Tests.Emulators;

public sealed class BitbucketAuthAndFaultTests
{
    private const string StatusPath = "repositories/acme/api/commit/abc123/statuses/build";
    private const string Body = """{"key":"k","state":"INPROGRESS","url":"https://ci.example.com/1"}""";

    [Fact]
    public async Task Post_without_credentials_is_refused_with_401()
    {
        await using var bitbucket = await BitbucketEmulator.StartAsync(new BitbucketEmulatorOptions { AccessToken = "rat-secret" });
        using var http = EmulatorHttp.Client(bitbucket.ApiUrl);

        using var response = await http.PostJsonAsync(StatusPath, Body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("error", (await response.ReadJsonAsync())["type"]!.GetValue<string>());
        Assert.Empty(bitbucket.Statuses);
        Assert.Equal(401, Assert.Single(bitbucket.PostCalls).StatusCode);
    }

    [Fact]
    public async Task Wrong_access_token_is_refused_and_the_right_one_served()
    {
        await using var bitbucket = await BitbucketEmulator.StartAsync(new BitbucketEmulatorOptions { AccessToken = "rat-secret" });
        using var wrong = EmulatorHttp.Client(bitbucket.ApiUrl, EmulatorHttp.Bearer("rat-other"));
        using var right = EmulatorHttp.Client(bitbucket.ApiUrl, EmulatorHttp.Bearer("rat-secret"));

        using var refused = await wrong.PostJsonAsync(StatusPath, Body);
        using var served = await right.PostJsonAsync(StatusPath, Body);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, served.StatusCode);
    }

    [Fact]
    public async Task Api_token_is_checked_as_basic_auth()
    {
        await using var bitbucket = await BitbucketEmulator.StartAsync(
            new BitbucketEmulatorOptions { Username = "bot@example.com", ApiToken = "ATATT-secret" });
        using var wrong = EmulatorHttp.Client(bitbucket.ApiUrl, EmulatorHttp.Basic("bot@example.com:nope"));
        using var right = EmulatorHttp.Client(bitbucket.ApiUrl, EmulatorHttp.Basic("bot@example.com:ATATT-secret"));

        using var refused = await wrong.PostJsonAsync(StatusPath, Body);
        using var served = await right.PostJsonAsync(StatusPath, Body);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, served.StatusCode);
    }

    [Fact]
    public async Task Rate_limit_fault_answers_429_without_retry_after_then_recovers()
    {
        await using var bitbucket = await BitbucketEmulator.StartAsync();
        using var http = EmulatorHttp.Client(bitbucket.ApiUrl);
        bitbucket.FailNext(BitbucketEndpoints.PostBuildStatus, 1, 429);

        using var limited = await http.PostJsonAsync(StatusPath, Body);
        using var served = await http.PostJsonAsync(StatusPath, Body);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Null(limited.Headers.RetryAfter);
        Assert.Equal("Rate limit for this resource has been exceeded.", await limited.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, served.StatusCode);
        Assert.Equal([429, 201], bitbucket.PostCalls.Select(c => c.StatusCode));
    }

    [Fact]
    public async Task Faults_with_retry_after_and_server_errors_are_served_in_order()
    {
        await using var bitbucket = await BitbucketEmulator.StartAsync();
        using var http = EmulatorHttp.Client(bitbucket.ApiUrl);
        bitbucket.FailNext(BitbucketEndpoints.PostBuildStatus, 1, 429, TimeSpan.FromSeconds(3));
        bitbucket.FailNext(BitbucketEndpoints.PostBuildStatus, 1, 500);

        using var limited = await http.PostJsonAsync(StatusPath, Body);
        using var failed = await http.PostJsonAsync(StatusPath, Body);
        using var served = await http.PostJsonAsync(StatusPath, Body);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), limited.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(HttpStatusCode.Created, served.StatusCode);
        Assert.Single(bitbucket.Statuses);
    }

    [Fact]
    public async Task Wait_for_completes_when_a_status_is_posted()
    {
        await using var bitbucket = await BitbucketEmulator.StartAsync();
        using var http = EmulatorHttp.Client(bitbucket.ApiUrl);
        var wait = bitbucket.WaitForAsync(() => bitbucket.Statuses.Any(s => s.State == "INPROGRESS"), TimeSpan.FromSeconds(10));

        using var response = await http.PostJsonAsync(StatusPath, Body);

        await wait;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
