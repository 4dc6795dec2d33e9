using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bridge.Tests.Support;

namespace Bridge.Tests.Infrastructure;

/// <summary>
/// The management plugin's HTTP API of a private node (vhost <c>/</c>): what is declared, read back from the broker.
/// The plugin starts a little after AMQP is accepted, so the first request waits for it.
/// </summary>
public sealed class RabbitMqManagement : IDisposable
{
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    readonly HttpClient http;
    readonly SemaphoreSlim started = new(1, 1);
    bool answered;

    internal RabbitMqManagement(string host, int port, string username, string password)
    {
        http = new HttpClient { BaseAddress = new Uri($"http://{host}:{port}/api/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
    }

    /// <summary>Every queue of the vhost, with its flags and arguments.</summary>
    public async Task<IReadOnlyList<QueueDeclaration>> QueuesAsync()
    {
        using var json = await GetAsync("queues/%2F?columns=name,type,durable,auto_delete,exclusive,arguments")
            ?? throw new InvalidOperationException("The management API has no vhost '/'.");
        return [.. json.RootElement.EnumerateArray().Select(QueueDeclaration.From)];
    }

    public async Task<QueueDeclaration?> QueueAsync(string name)
    {
        using var json = await GetAsync($"queues/%2F/{Uri.EscapeDataString(name)}");
        return json is null ? null : QueueDeclaration.From(json.RootElement);
    }

    /// <summary>
    /// The queue's ready and unacknowledged messages as the management plugin last sampled them (its statistics lag the
    /// queue by up to five seconds), or null if it does not exist.
    /// </summary>
    public async Task<(long Ready, long Unacknowledged)?> QueueDepthAsync(string name)
    {
        using var json = await GetAsync($"queues/%2F/{Uri.EscapeDataString(name)}");
        if (json is null)
        {
            return null;
        }

        long Count(string property) => json.RootElement.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;
        return (Count("messages_ready"), Count("messages_unacknowledged"));
    }

    /// <summary>The exchange's type and durability, or null if it does not exist.</summary>
    public async Task<(string Type, bool Durable)?> ExchangeAsync(string name)
    {
        using var json = await GetAsync($"exchanges/%2F/{Uri.EscapeDataString(name)}");
        return json is null ? null : (json.RootElement.GetProperty("type").GetString()!, json.RootElement.GetProperty("durable").GetBoolean());
    }

    /// <summary>Whether <paramref name="exchange"/> is bound to <paramref name="queue"/> (with any routing key).</summary>
    public async Task<bool> IsBoundAsync(string exchange, string queue)
    {
        using var json = await GetAsync($"bindings/%2F/e/{Uri.EscapeDataString(exchange)}/q/{Uri.EscapeDataString(queue)}");
        return json is not null && json.RootElement.GetArrayLength() > 0;
    }

    /// <summary>A user with every permission on vhost <c>/</c>, for tests that must see a password of their own (never in output).</summary>
    public async Task CreateUserAsync(string username, string password)
    {
        await WaitUntilStartedAsync();
        var user = Uri.EscapeDataString(username);
        using var created = await http.PutAsJsonAsync($"users/{user}", new { password, tags = "" });
        created.EnsureSuccessStatusCode();
        using var permitted = await http.PutAsJsonAsync($"permissions/%2F/{user}", new { configure = ".*", write = ".*", read = ".*" });
        permitted.EnsureSuccessStatusCode();
    }

    public void Dispose()
    {
        http.Dispose();
        started.Dispose();
    }

    async Task<JsonDocument?> GetAsync(string path)
    {
        await WaitUntilStartedAsync();
        using var response = await http.GetAsync(path);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
    }

    async Task WaitUntilStartedAsync()
    {
        await started.WaitAsync();
        try
        {
            if (!answered)
            {
                await Eventually.WaitAsync(AnswersAsync, StartTimeout, $"the management API at {http.BaseAddress} answers");
                answered = true;
            }
        }
        finally
        {
            started.Release();
        }
    }

    async Task<bool> AnswersAsync()
    {
        try
        {
            using var response = await http.GetAsync("overview");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // the plugin's listener is not up yet
        }
    }
}

/// <summary>A queue as the broker holds it: its type, flags and arguments (argument values as JSON).</summary>
public sealed record QueueDeclaration(string Name, string Type, bool Durable, bool AutoDelete, bool Exclusive, IReadOnlyDictionary<string, JsonElement> Arguments)
{
    /// <summary>What RabbitMQ 4.3 refuses to declare: a queue that goes away with the broker or its last consumer, yet is not exclusive.</summary>
    public bool IsTransientNonExclusive => (!Durable || AutoDelete) && !Exclusive;

    public string? Argument(string key) => Arguments.TryGetValue(key, out var value) ? value.ToString() : null;

    public override string ToString() =>
        $"{Name} ({Type}, durable={Durable}, auto_delete={AutoDelete}, exclusive={Exclusive}, arguments: {string.Join(", ", Arguments.Select(a => $"{a.Key}={a.Value}"))})";

    internal static QueueDeclaration From(JsonElement queue) => new(
        queue.GetProperty("name").GetString()!,
        queue.TryGetProperty("type", out var type) ? type.GetString()! : "classic",
        queue.GetProperty("durable").GetBoolean(),
        queue.GetProperty("auto_delete").GetBoolean(),
        queue.TryGetProperty("exclusive", out var exclusive) && exclusive.ValueKind == JsonValueKind.True,
        queue.GetProperty("arguments").EnumerateObject().ToDictionary(a => a.Name, a => a.Value.Clone(), StringComparer.Ordinal));
}
