using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Bridge.Tests.Infrastructure;

/// <summary>
/// Starts one private broker for the "broker" collection and stops it when the collection is done.
/// Use <c>[Collection(BrokerCollection.Name)]</c> on a test class and take this fixture in its constructor.
/// </summary>
public sealed class RabbitMqBrokerFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    RabbitMqBroker? broker;

    public RabbitMqBroker Broker => broker ?? throw new InvalidOperationException("The broker has not been started.");

    public async Task InitializeAsync()
    {
        broker = await RabbitMqBroker.StartAsync();
        diagnostics.OnMessage(new DiagnosticMessage(
            $"RabbitMQ node {broker.NodeName} ready at {broker.Host}:{broker.Port} after {broker.StartupTime.TotalSeconds:0.0} s"));
    }

    public async Task DisposeAsync()
    {
        if (broker is not null)
        {
            await broker.DisposeAsync();
        }
    }
}

/// <summary>All tests that need RabbitMQ share this collection and thus one broker per test run.</summary>
[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<RabbitMqBrokerFixture>
{
    public const string Name = "broker";
}
