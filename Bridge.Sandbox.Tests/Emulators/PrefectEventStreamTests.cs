using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Bridge.Sandbox.Emulators;

namespace Bridge.Tests.Emulators;

public sealed class PrefectEventStreamTests : IAsyncLifetime
{
    private const string ApiKey = "pnu_event_stream_test";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private PrefectEmulator prefect = null!;
    private DeploymentRecord deployment = null!;

    public async Task InitializeAsync()
    {
        prefect = await PrefectEmulator.StartAsync(new PrefectEmulatorOptions { ApiKey = ApiKey });
        deployment = prefect.AddDeployment("etl", "prod", tags: ["etl"]);
    }

    public async Task DisposeAsync() => await prefect.DisposeAsync();

    private async Task<ClientWebSocket> ConnectAsync(string? subprotocol = "prefect")
    {
        var socket = new ClientWebSocket();
        if (subprotocol is not null)
        {
            socket.Options.AddSubProtocol(subprotocol);
        }

        await socket.ConnectAsync(new Uri(prefect.ApiUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/events/out"), CancellationToken.None);
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonObject?> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        var buffer = new byte[65536];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        return result.MessageType == WebSocketMessageType.Close ? null : JsonNode.Parse(buffer.AsSpan(0, result.Count))!.AsObject();
    }

    private async Task<ClientWebSocket> SubscribeAsync(string filter, bool backfill = true)
    {
        var socket = await ConnectAsync();
        await SendAsync(socket, $$"""{"type":"auth","token":"{{ApiKey}}"}""");
        Assert.Equal("auth_success", (await ReceiveAsync(socket))!["type"]!.GetValue<string>());
        await SendAsync(socket, $$"""{"type":"filter","backfill":{{(backfill ? "true" : "false")}},"filter":{{filter}}}""");
        return socket;
    }

    private static string Until => DateTimeOffset.UtcNow.AddDays(365).ToString("O");

    private static string Since => DateTimeOffset.UtcNow.AddHours(-1).ToString("O");

    [Fact]
    public async Task First_message_other_than_auth_closes_with_1008()
    {
        using var socket = await ConnectAsync();
        Assert.Equal("prefect", socket.SubProtocol);

        await SendAsync(socket, """{"type":"filter","filter":{}}""");

        Assert.Null(await ReceiveAsync(socket));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        Assert.Equal("Expected 'auth' message", socket.CloseStatusDescription);
    }

    [Fact]
    public async Task Wrong_token_closes_with_1008_invalid_token()
    {
        using var socket = await ConnectAsync();

        await SendAsync(socket, """{"type":"auth","token":"pnu_wrong"}""");

        Assert.Null(await ReceiveAsync(socket));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        Assert.Equal("Invalid token", socket.CloseStatusDescription);
    }

    [Fact]
    public async Task Invalid_filter_closes_with_1002()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, $$"""{"type":"auth","token":"{{ApiKey}}"}""");
        await ReceiveAsync(socket);

        await SendAsync(socket, """{"type":"filter","filter":{"occurred":{"since":"not a time"}}}""");

        Assert.Null(await ReceiveAsync(socket));
        Assert.Equal(WebSocketCloseStatus.ProtocolError, socket.CloseStatus);
    }

    [Fact]
    public async Task Stored_events_are_backfilled_in_order_then_live_events_follow_in_the_documented_shape()
    {
        var run = prefect.AddFlowRun(deployment, ["bridge"], new Dictionary<string, string>());
        prefect.SetState(run.Id, StateTypes.Running);
        using var socket = await SubscribeAsync($$"""{"occurred":{"since":"{{Since}}","until":"{{Until}}" }, "event": {"prefix":["prefect.flow-run."] } }""");

        var scheduled = (await ReceiveAsync(socket))!["event"]!;
        var running = (await ReceiveAsync(socket))!["event"]!;
        prefect.SetState(run.Id, StateTypes.Completed, message: "all good");
        var completed = (await ReceiveAsync(socket))!;

        Assert.Equal("prefect.flow-run.Scheduled", scheduled["event"]!.GetValue<string>());
        Assert.Equal("prefect.flow-run.Running", running["event"]!.GetValue<string>());
        Assert.Equal(scheduled["id"]!.GetValue<string>(), running["follows"]!.GetValue<string>());
        Assert.Equal("event", completed["type"]!.GetValue<string>());
        var item = completed["event"]!;
        Assert.Equal("prefect.flow-run.Completed", item["event"]!.GetValue<string>());
        Assert.Equal($"prefect.flow-run.{run.Id}", item["resource"]!["prefect.resource.id"]!.GetValue<string>());
        Assert.Equal("COMPLETED", item["resource"]!["prefect.state-type"]!.GetValue<string>());
        Assert.Equal("all good", item["resource"]!["prefect.state-message"]!.GetValue<string>());
        Assert.Equal("RUNNING", item["payload"]!["intended"]!["from"]!.GetValue<string>());
        var related = item["related"]!.AsArray().Select(r => r!["prefect.resource.id"]!.GetValue<string>()).ToList();
        Assert.Contains($"prefect.deployment.{deployment.Id}", related);
        Assert.Contains("prefect.tag.bridge", related);
        Assert.Contains("prefect.tag.etl", related);
    }

    [Fact]
    public async Task Filter_without_until_gets_the_backfill_but_no_live_events()
    {
        var run = prefect.AddFlowRun(deployment, [], new Dictionary<string, string>());
        using var socket = await SubscribeAsync($$"""{"occurred":{"since":"{{Since}}" } }""");
        Assert.Equal("prefect.flow-run.Scheduled", (await ReceiveAsync(socket))!["event"]!["event"]!.GetValue<string>());

        prefect.SetState(run.Id, StateTypes.Completed);
        var other = prefect.AddFlowRun(deployment, [], new Dictionary<string, string>());

        using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => socket.ReceiveAsync(new byte[1024], quiet.Token));
        Assert.NotNull(other);
    }

    [Fact]
    public async Task Related_filter_applies_to_the_backfill_only()
    {
        prefect.AddFlowRun(deployment, ["other"], new Dictionary<string, string>());
        var bridgeRun = prefect.AddFlowRun(deployment, ["bridge"], new Dictionary<string, string>());
        using var socket = await SubscribeAsync($$"""{"occurred":{"since":"{{Since}}","until":"{{Until}}" }, "related": {"id":["prefect.tag.bridge"] } }""");

        var backfilled = (await ReceiveAsync(socket))!["event"]!;
        var otherRun = prefect.AddFlowRun(deployment, ["other"], new Dictionary<string, string>());
        var live = (await ReceiveAsync(socket))!["event"]!;

        Assert.Equal($"prefect.flow-run.{bridgeRun.Id}", backfilled["resource"]!["prefect.resource.id"]!.GetValue<string>());
        Assert.Equal($"prefect.flow-run.{otherRun.Id}", live["resource"]!["prefect.resource.id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refused_stream_answers_403_and_dropped_streams_are_aborted()
    {
        using var open = await SubscribeAsync($$"""{"occurred":{"since":"{{Since}}","until":"{{Until}}" } }""");
        await prefect.WaitForAsync(() => prefect.EventStreams.Open == 1, Deadline);
        prefect.RefuseEventStreams = true;

        prefect.DropEventStreams();

        // The client sees its stream cut (not closed, not timed out), and a new stream is refused.
        await Assert.ThrowsAnyAsync<WebSocketException>(() => ReceiveAsync(open));
        await Assert.ThrowsAnyAsync<WebSocketException>(() => ConnectAsync());
        Assert.Equal((1, 1), (prefect.EventStreams.Accepted, prefect.EventStreams.Refused));
    }
}
