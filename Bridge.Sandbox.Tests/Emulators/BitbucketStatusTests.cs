using System.Net;
using Bridge.Sandbox.Emulators;
using Xunit;

namespace Bridge.Tests.Emulators;

public sealed class BitbucketStatusTests : BitbucketEmulatorTests
{
    [Fact]
    public async Task Valid_status_is_created_with_201_and_the_commitstatus_shape()
    {
        using var response = await http.PostJsonAsync(
            StatusPath,
            """{"key":"bridge-release","state":"INPROGRESS","name":"release v1","description":"queued","url":"https://prefect.example.com/runs/flow-run/1","refname":"main"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("build", body["type"]!.GetValue<string>());
        Assert.Equal("bridge-release", body["key"]!.GetValue<string>());
        Assert.Equal("INPROGRESS", body["state"]!.GetValue<string>());
        Assert.Equal("main", body["refname"]!.GetValue<string>());
        Assert.Matches("^\\{[0-9a-f-]{36}\\}$", body["uuid"]!.GetValue<string>());
        Assert.EndsWith("+00:00", body["created_on"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal($"{bitbucket.ApiUrl}/{StatusPath}/bridge-release", body["links"]!["self"]!["href"]!.GetValue<string>());
        var status = Assert.Single(bitbucket.Statuses);
        Assert.Equal(("acme", "api", Commit, "bridge-release", "INPROGRESS", "release v1", "queued"),
            (status.Workspace, status.Repository, status.Commit, status.Key, status.State, status.Name, status.Description));
    }

    [Fact]
    public async Task Posting_the_same_key_again_overwrites_the_status()
    {
        using var first = await http.PostJsonAsync(StatusPath, """{"key":"k","state":"INPROGRESS","url":"https://ci.example.com/1"}""");
        using var second = await http.PostJsonAsync(StatusPath, """{"key":"k","state":"SUCCESSFUL","url":"https://ci.example.com/1","description":"done"}""");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var status = Assert.Single(bitbucket.Statuses);
        Assert.Equal("SUCCESSFUL", status.State);
        Assert.Equal("done", status.Description);
        Assert.Equal((await first.ReadJsonAsync())["uuid"]!.GetValue<string>(), (await second.ReadJsonAsync())["uuid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Brace_wrapped_uuids_in_the_path_are_stored_decoded()
    {
        const string workspace = "{922e118c-f34f-4226-a897-0e0afbec553d}";
        const string repository = "{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}";

        using var response = await http.PostJsonAsync(
            $"repositories/{Uri.EscapeDataString(workspace)}/{Uri.EscapeDataString(repository)}/commit/{Commit}/statuses/build",
            """{"key":"k","state":"INPROGRESS","url":"https://ci.example.com/1"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var status = Assert.Single(bitbucket.Statuses);
        Assert.Equal(workspace, status.Workspace);
        Assert.Equal(repository, status.Repository);
        Assert.Equal(repository, Assert.Single(bitbucket.PostCalls).Repository);
    }

    [Fact]
    public async Task Status_is_read_by_key_and_unknown_key_answers_404()
    {
        using var posted = await http.PostJsonAsync(StatusPath, """{"key":"k 1","state":"FAILED","url":"https://ci.example.com/1"}""");

        using var found = await http.GetAsync($"{StatusPath}/k%201");
        using var missing = await http.GetAsync($"{StatusPath}/other");

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal("FAILED", (await found.ReadJsonAsync())["state"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("error", (await missing.ReadJsonAsync())["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Statuses_of_a_commit_are_listed_in_pages()
    {
        for (var i = 0; i < 3; i++)
        {
            using var r = await http.PostJsonAsync(StatusPath, $$"""{"key":"k{{i}}","state":"SUCCESSFUL","url":"https://ci.example.com/{{i}}"}""");
        }

        using var other = await http.PostJsonAsync("repositories/acme/api/commit/other/statuses/build", """{"key":"x","state":"FAILED","url":"https://ci.example.com/x"}""");

        var firstPage = await (await http.GetAsync($"repositories/acme/api/commit/{Commit}/statuses?pagelen=2")).ReadJsonAsync();
        var secondPage = await (await http.GetAsync($"repositories/acme/api/commit/{Commit}/statuses?pagelen=2&page=2")).ReadJsonAsync();

        Assert.Equal(3, firstPage["size"]!.GetValue<int>());
        Assert.Equal(["k0", "k1"], firstPage["values"]!.AsArray().Select(v => v!["key"]!.GetValue<string>()));
        Assert.NotNull(firstPage["next"]);
        Assert.Equal(["k2"], secondPage["values"]!.AsArray().Select(v => v!["key"]!.GetValue<string>()));
        Assert.Null(secondPage["next"]);
    }

    [Fact]
    public async Task Every_post_is_recorded_with_its_status_code_and_the_event_fires_for_accepted_ones()
    {
        var posted = new List<CommitStatusRecord>();
        bitbucket.StatusPosted += s => { lock (posted) { posted.Add(s); } };

        using var bad = await http.PostJsonAsync(StatusPath, """{"key":"k","state":"INPROGRESS","url":"relative"}""");
        using var good = await http.PostJsonAsync(StatusPath, """{"key":"k","state":"INPROGRESS","url":"https://ci.example.com/1"}""");

        Assert.Equal([400, 201], bitbucket.PostCalls.Select(c => c.StatusCode));
        Assert.All(bitbucket.PostCalls, c => Assert.Equal(("acme", "api", Commit), (c.Workspace, c.Repository, c.Commit)));
        Assert.Equal("relative", bitbucket.PostCalls[0].Body!["url"]!.GetValue<string>());
        Assert.Equal("k", Assert.Single(posted).Key);
        Assert.Equal(2, bitbucket.CallCount(BitbucketEndpoints.PostBuildStatus));
    }

    [Fact]
    public async Task Trailing_slash_as_in_the_swagger_example_is_accepted()
    {
        using var response = await http.PostJsonAsync(StatusPath + "/", """{"key":"k","state":"INPROGRESS","url":"https://ci.example.com/1"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
