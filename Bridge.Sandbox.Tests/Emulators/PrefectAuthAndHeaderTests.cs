using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bridge.Sandbox.Emulators;
using Xunit;

namespace Bridge.Tests.Emulators;

public sealed class PrefectAuthAndHeaderTests
{
    [Fact]
    public async Task Request_without_api_key_is_refused_with_401()
    {
        await using var prefect = await PrefectEmulator.StartAsync(new PrefectEmulatorOptions { ApiKey = "pnu_secret" });
        var deployment = prefect.AddDeployment("etl", "prod");
        using var http = EmulatorHttp.Client(prefect.ApiUrl);

        using var response = await http.PostJsonAsync(PrefectPaths.CreateFlowRun(deployment), "{}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Unauthorized", (await response.ReadJsonAsync())["exception_message"]!.GetValue<string>());
        Assert.Empty(prefect.FlowRuns);
        Assert.Equal(401, Assert.Single(prefect.CreateFlowRunCalls).StatusCode);
    }

    [Fact]
    public async Task Request_with_wrong_api_key_is_refused_with_401()
    {
        await using var prefect = await PrefectEmulator.StartAsync(new PrefectEmulatorOptions { ApiKey = "pnu_secret" });
        var deployment = prefect.AddDeployment("etl", "prod");
        using var http = EmulatorHttp.Client(prefect.ApiUrl, EmulatorHttp.Bearer("pnu_other"));

        using var response = await http.GetAsync($"deployments/{deployment.Id}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Request_with_the_api_key_as_bearer_is_served()
    {
        await using var prefect = await PrefectEmulator.StartAsync(new PrefectEmulatorOptions { ApiKey = "pnu_secret" });
        var deployment = prefect.AddDeployment("etl", "prod");
        using var http = EmulatorHttp.Client(prefect.ApiUrl, EmulatorHttp.Bearer("pnu_secret"));

        using var response = await http.GetAsync("deployments/name/etl/prod");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(deployment.Id.ToString(), (await response.ReadJsonAsync())["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Basic_auth_string_is_checked()
    {
        await using var prefect = await PrefectEmulator.StartAsync(new PrefectEmulatorOptions { BasicAuth = "admin:pass" });
        prefect.AddDeployment("etl", "prod");
        using var right = EmulatorHttp.Client(prefect.ApiUrl, EmulatorHttp.Basic("admin:pass"));
        using var wrong = EmulatorHttp.Client(prefect.ApiUrl, EmulatorHttp.Basic("admin:nope"));

        using var served = await right.GetAsync("deployments/name/etl/prod");
        using var refused = await wrong.GetAsync("deployments/name/etl/prod");

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Health_needs_no_auth_and_answers_true()
    {
        await using var prefect = await PrefectEmulator.StartAsync(new PrefectEmulatorOptions { ApiKey = "pnu_secret" });
        using var http = EmulatorHttp.Client(prefect.ApiUrl);

        using var response = await http.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("true", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("0.8.4", HttpStatusCode.OK)]
    [InlineData("0.8", HttpStatusCode.BadRequest)]
    [InlineData("latest", HttpStatusCode.BadRequest)]
    public async Task Api_version_header_must_be_x_y_z(string version, HttpStatusCode expected)
    {
        await using var prefect = await PrefectEmulator.StartAsync();
        prefect.AddDeployment("etl", "prod");
        using var http = EmulatorHttp.Client(prefect.ApiUrl);
        http.DefaultRequestHeaders.Add("X-PREFECT-API-VERSION", version);

        using var response = await http.GetAsync("deployments/name/etl/prod");

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Chunked_post_without_content_length_is_refused_with_411()
    {
        await using var prefect = await PrefectEmulator.StartAsync();
        var deployment = prefect.AddDeployment("etl", "prod");
        using var http = EmulatorHttp.Client(prefect.ApiUrl);

        using var response = await http.PostAsync(
            new Uri(PrefectPaths.CreateFlowRun(deployment), UriKind.Relative),
            JsonContent.Create(new JsonObject()));

        Assert.Equal(HttpStatusCode.LengthRequired, response.StatusCode);
        Assert.Empty(prefect.FlowRuns);
    }

    [Fact]
    public async Task Chunked_post_is_accepted_when_content_length_is_not_required()
    {
        await using var prefect = await PrefectEmulator.StartAsync(new PrefectEmulatorOptions { RequireContentLength = false });
        var deployment = prefect.AddDeployment("etl", "prod");
        using var http = EmulatorHttp.Client(prefect.ApiUrl);

        using var response = await http.PostAsync(
            new Uri(PrefectPaths.CreateFlowRun(deployment), UriKind.Relative),
            JsonContent.Create(new JsonObject()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
