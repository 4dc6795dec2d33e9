using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Contracts;
using Bridge.Sandbox.Emulators;
using Bridge.Tests.Identity;

namespace Bridge.Tests.Stacks;

/// <summary>Requests to the ingress of a stack built <see cref="Builder.WithIngress"/>, and events of its own issuer.</summary>
internal sealed partial class BridgeStack
{
    /// <summary>A genuine event of the test's issuer (its pipeline recorded), as <see cref="HostileTokenTests.Issue"/> makes it.</summary>
    public PipelineEvent Issue(PipelineEvent message, Func<StepToken, StepToken>? change = null) =>
        HostileTokenTests.Issue(Issuer, message, change);

    /// <summary>Posts the event's JSON without its token, which goes in the Authorization header.</summary>
    public Task<HttpResponseMessage> PostAsync(PipelineEvent message, string? token = null)
    {
        var json = JsonSerializer.SerializeToNode(message, JsonSerializerOptions.Web)!.AsObject();
        json.Remove("oidcToken");
        return PostAsync(json.ToJsonString(), token ?? message.OidcToken);
    }

    public Task<HttpResponseMessage> PostAsync(string body, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return Client.SendAsync(request);
    }

    /// <summary>The problem details of a refused request, after checking its status and media type.</summary>
    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }
}
