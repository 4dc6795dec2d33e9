using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Contracts;
using Bridge.Sandbox.Emulators;
using Bridge.Tests.EndToEnd;
using Bridge.Tests.Identity;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using SandboxStack = Bridge.Sandbox.Runner.SandboxStack;

namespace Bridge.Tests.Ingress;

/// <summary>The worker on the test broker with its ingress enabled on a port of its own, and a client for that port.</summary>
internal sealed class IngressStack : IAsyncDisposable
{
    private IngressStack(SandboxStack stack, OidcWorkspace issuer, int port)
    {
        Stack = stack;
        Issuer = issuer;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public SandboxStack Stack { get; }

    public OidcWorkspace Issuer { get; }

    public int Port { get; }

    public HttpClient Client { get; }

    public static async Task<IngressStack> StartAsync(
        RabbitMqBroker broker, ILoggerProvider? logs = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        // The ingress needs a known port (it tells its requests apart by the local port), so a free one is picked and
        // released; another test may take it before Kestrel binds it, so a few fresh ports are tried.
        for (var attempt = 1; ; attempt++)
        {
            var port = Bridge.Sandbox.Runner.FreePorts.Next();
            var all = new Dictionary<string, string?>
            {
                ["Bridge:Ingress:Enabled"] = "true",
                ["Bridge:Ingress:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Bridge:Ingress:BindAddress"] = "127.0.0.1",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                all[key] = value;
            }

            try
            {
                var (stack, issuer) = await IdentityStacks.StartAsync(broker, logs, all);
                return new IngressStack(stack, issuer, port);
            }
            catch (IOException ex) when (attempt < 5 && ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                // The port was taken in between: try another.
            }
        }
    }

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

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Stack.DisposeAsync();
    }
}
