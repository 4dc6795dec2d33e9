using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Bridge.Tests.Support;
using Bridge.Worker.Webhooks;

namespace Bridge.Tests.Webhooks;

/// <summary>Bitbucket webhook bodies shaped like Bitbucket's own (bitbucket.md §4), and a way to deliver them as Bitbucket does.</summary>
internal static class WebhookSamples
{
    public const string HookUuid = "{5b3c5d3e-0f6a-4c49-9a0e-6c1e2b7f9a10}";
    public static readonly string Secret = $"whsec-{Guid.NewGuid():N}";

    /// <summary>Worker settings that trust <see cref="HookUuid"/> with <see cref="Secret"/>, on a webhook queue of the test's own.</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["Bridge:Webhooks:Hooks:0:Uuid"] = HookUuid,
        ["Bridge:Webhooks:Hooks:0:Secret"] = Secret,
        ["Bridge:Webhooks:Queue"] = $"bridge-test-webhooks-{Guid.NewGuid():N}",
    };

    public static JsonObject Repository(string fullName = "acme/api") => new()
    {
        ["type"] = "repository",
        ["full_name"] = fullName,
        ["name"] = fullName.Split('/')[^1],
        ["uuid"] = SampleEvents.RepositoryUuid,
        ["workspace"] = new JsonObject { ["type"] = "workspace", ["slug"] = fullName.Split('/')[0], ["uuid"] = SampleEvents.WorkspaceUuid },
    };

    /// <summary>A <c>repo:push</c> of one ref (<paramref name="type"/> "tag" or "branch") to <paramref name="commit"/>.</summary>
    public static string Push(string type, string name, string commit, string repository = "acme/api") => new JsonObject
    {
        ["push"] = new JsonObject
        {
            ["changes"] = new JsonArray(new JsonObject
            {
                ["new"] = new JsonObject
                {
                    ["type"] = type,
                    ["name"] = name,
                    ["target"] = new JsonObject { ["type"] = "commit", ["hash"] = commit },
                },
                ["old"] = null,
                ["created"] = true,
                ["forced"] = false,
                ["closed"] = false,
                ["truncated"] = false,
                ["commits"] = new JsonArray(),
            }),
        },
        ["repository"] = Repository(repository),
        ["actor"] = new JsonObject { ["display_name"] = "Emma", ["uuid"] = "{a54f16da-24e9-4d7f-a3a7-b1ba2cd98aa3}" },
    }.ToJsonString();

    /// <summary>A <c>pullrequest:fulfilled</c> into <paramref name="destination"/>, its hashes abbreviated to 12 characters as Bitbucket does.</summary>
    public static string PullRequestFulfilled(long id, string mergeCommit, string destination = "main") => new JsonObject
    {
        ["pullrequest"] = new JsonObject
        {
            ["id"] = id,
            ["state"] = "MERGED",
            ["source"] = new JsonObject { ["branch"] = new JsonObject { ["name"] = "feature" }, ["commit"] = new JsonObject { ["hash"] = SampleEvents.Sha()[..12] } },
            ["destination"] = new JsonObject { ["branch"] = new JsonObject { ["name"] = destination }, ["commit"] = new JsonObject { ["hash"] = SampleEvents.Sha()[..12] } },
            ["merge_commit"] = new JsonObject { ["hash"] = mergeCommit[..12] },
            ["close_source_branch"] = true,
        },
        ["repository"] = Repository(),
    }.ToJsonString();

    /// <summary>Delivers <paramref name="body"/> as Bitbucket would, signed with <paramref name="secret"/> (unsigned when null).</summary>
    public static Task<HttpResponseMessage> DeliverAsync(
        HttpClient client, string eventKey, string body, string requestUuid, string? secret = null, string hookUuid = HookUuid, int attempt = 1)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/webhooks/bitbucket") { Content = content };
        request.Headers.Add("X-Event-Key", eventKey);
        request.Headers.Add("X-Hook-UUID", hookUuid);
        request.Headers.Add("X-Request-UUID", requestUuid);
        request.Headers.Add("X-Attempt-Number", attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (secret is not null)
        {
            request.Headers.Add("X-Hub-Signature", WebhookSignatures.Sign(secret, bytes));
        }

        return client.SendAsync(request);
    }

    public static string RequestUuid() => Guid.NewGuid().ToString();
}
