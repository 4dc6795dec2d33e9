using Bridge.Tests.Infrastructure;
using Bridge.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Ingress;

/// <summary>Each address the worker listens on is logged once at start-up, with what it serves.</summary>
[Collection(BrokerCollection.Name)]
public sealed class ListeningLogTests(RabbitMqBrokerFixture fixture)
{
    [Fact]
    public async Task Each_listening_address_is_logged_once_with_what_it_serves()
    {
        var logs = new CapturingLoggerProvider();
        await using var stack = await BridgeStack.On(fixture.Broker).WithIngress().WithLogs(logs).StartAsync();
        var addresses = stack.Worker.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();

        await Eventually.WaitAsync(
            () => Task.FromResult(logs.Entries.Count(e => e.Message.StartsWith("Listening on ", StringComparison.Ordinal)) >= addresses.Count),
            BridgeStack.Deadline,
            "a line per listening address");

        var lines = logs.Entries.Where(e => e.Message.StartsWith("Listening on ", StringComparison.Ordinal)).Select(e => e.Message).ToList();
        Assert.Equal(2, addresses.Count);
        Assert.Equal(addresses.Count, lines.Count);
        var ingress = Assert.Single(lines, l => l.Contains($":{stack.Port}", StringComparison.Ordinal));
        Assert.Contains("the ingress (POST /v1/events", ingress, StringComparison.Ordinal);
        var worker = Assert.Single(lines, l => l != ingress);
        Assert.Contains("health (/health/live, /health/ready)", worker, StringComparison.Ordinal);
    }
}
