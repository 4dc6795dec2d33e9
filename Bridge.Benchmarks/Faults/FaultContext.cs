using Bridge.Tests.Infrastructure;

namespace Bridge.Benchmarks.Faults;

/// <summary>What every scenario shares: the options, the private broker, the workspace, the log folder and the progress writer.</summary>
internal sealed record FaultContext(FaultOptions Options, RabbitMqBroker Broker, FaultWorkspace Workspace, string Logs, TextWriter Progress);
