using System.Net;
using System.Text.Json.Nodes;
using Bridge.Sandbox.Emulators;
using Xunit;

namespace Bridge.Tests.Emulators;

public sealed class BitbucketStatusValidationTests : BitbucketEmulatorTests
{
    [Fact]
    public async Task Key_of_41_characters_is_refused_with_400()
    {
        var key = new string('k', 41);

        using var response = await http.PostJsonAsync(StatusPath, $$"""{"key":"{{key}}","state":"SUCCESSFUL","url":"https://ci.example.com/1"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("key: Ensure this value has at most 40 characters (it has 41).", body["error"]!["message"]!.GetValue<string>());
        Assert.Equal("""["Ensure this value has at most 40 characters (it has 41)."]""", body["error"]!["fields"]!["key"]!.ToJsonString());
        Assert.Empty(bitbucket.Statuses);
    }

    [Fact]
    public async Task Key_of_40_characters_is_accepted()
    {
        var key = new string('k', 40);

        using var response = await http.PostJsonAsync(StatusPath, $$"""{"key":"{{key}}","state":"SUCCESSFUL","url":"https://ci.example.com/1"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("/runs/flow-run/1")]
    [InlineData("prefect.example.com/runs/1")]
    [InlineData("http://prefect-server:4200/runs/flow-run/1")]
    [InlineData("ftp://files.example.com/x")]
    [InlineData("https://exa mple.com/x")]
    public async Task Url_that_django_refuses_is_rejected_with_400(string url)
    {
        using var response = await http.PostJsonAsync(StatusPath, new JsonObject { ["key"] = "k", ["state"] = "FAILED", ["url"] = url }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.ReadJsonAsync())["error"]!;
        Assert.Equal("""["Enter a valid URL."]""", error["fields"]!["url"]!.ToJsonString());
        Assert.Equal("url: Enter a valid URL.", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Url_of_450_characters_is_rejected_with_400()
    {
        var url = "https://ci.example.com/" + new string('a', 450 - "https://ci.example.com/".Length);

        using var response = await http.PostJsonAsync(StatusPath, new JsonObject { ["key"] = "k", ["state"] = "FAILED", ["url"] = url }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.ReadJsonAsync())["error"]!["fields"]!["url"]);
    }

    [Fact]
    public async Task Name_of_255_characters_is_rejected_with_400()
    {
        var body = new JsonObject { ["key"] = "k", ["state"] = "FAILED", ["url"] = "https://ci.example.com", ["name"] = new string('n', 255) };

        using var response = await http.PostJsonAsync(StatusPath, body.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.ReadJsonAsync())["error"]!["fields"]!["name"]);
    }

    [Fact]
    public async Task Unknown_state_is_rejected_with_400()
    {
        using var response = await http.PostJsonAsync(StatusPath, """{"key":"k","state":"DONE","url":"https://ci.example.com"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("\"DONE\" is not a valid choice.", (await response.ReadJsonAsync())["error"]!["fields"]!["state"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Missing_required_fields_are_each_reported()
    {
        using var response = await http.PostJsonAsync(StatusPath, """{"name":"only a name"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = (await response.ReadJsonAsync())["error"]!["fields"]!.AsObject();
        Assert.Equal(["key", "state", "url"], fields.Select(f => f.Key).Order(StringComparer.Ordinal));
        Assert.All(fields, f => Assert.Equal("""["This field is required."]""", f.Value!.ToJsonString()));
    }

    [Theory]
    [InlineData("http://localhost:4200/runs/flow-run/1")]
    [InlineData("http://127.0.0.1:4200/runs/flow-run/1")]
    [InlineData("https://app.prefect.cloud/account/a/workspace/w/runs/flow-run/1")]
    [InlineData("https://foo.com/builds/{repository.full_name}")]
    public async Task Absolute_url_with_a_valid_host_is_accepted(string url)
    {
        using var response = await http.PostJsonAsync(StatusPath, new JsonObject { ["key"] = "k", ["state"] = "STOPPED", ["url"] = url }.ToJsonString());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
