namespace Bridge.Worker.Queue;

/// <summary>
/// Start-up gave up waiting for RabbitMQ after <c>Bridge:Broker:StartTimeout</c>; each attempt was already logged as one
/// line, so the log does not repeat it (<c>bridge run</c> prints it and exits 3). The message names where the broker was
/// looked for, without credentials.
/// </summary>
internal sealed class BrokerUnreachableAtStartException(string message) : Exception(message);
