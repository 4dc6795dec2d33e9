using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Bridge.Tests.Emulators;

/// <summary>Small HTTP helpers for the emulator contract tests (buffered bodies, so Content-Length is sent).</summary>
internal static class EmulatorHttp
{
    public static HttpClient Client(string baseUrl, AuthenticationHeaderValue? authorization = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent Json(JsonNode json) => Json(json.ToJsonString());

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(new Uri(path, UriKind.Relative), Json(json));

    public static Task<HttpResponseMessage> GetAsync(this HttpClient client, string path) =>
        client.GetAsync(new Uri(path, UriKind.Relative));

    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException($"Response body was JSON null: {text}");
    }

    public static AuthenticationHeaderValue Basic(string userColonPassword) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userColonPassword)));

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}
