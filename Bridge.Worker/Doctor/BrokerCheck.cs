using Bridge.Worker.Queue;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Bridge.Worker.Doctor;

/// <summary>Connects to the broker as <c>bridge run</c> would and looks for the event queue and its <c>_error</c> queue, declaring nothing.</summary>
internal static class BrokerCheck
{
    public const string Name = "broker";

    public static async Task RunAsync(BrokerOptions options, DoctorReport report, CancellationToken cancellationToken)
    {
        if (options.Transport != BrokerTransport.RabbitMq)
        {
            report.Ok(Name, $"{BrokerOptions.Section}:Transport is {options.Transport}: no broker to reach");
            return;
        }

        var url = new Uri(options.Url);
        var factory = new ConnectionFactory { Uri = url, AutomaticRecoveryEnabled = false, ClientProvidedName = "bridge-doctor" };
        IConnection connection;
        try
        {
            connection = await factory.CreateConnectionAsync(cancellationToken);
        }
        catch (BrokerUnreachableException ex)
        {
            report.Failed(Name, $"cannot connect to RabbitMQ at {SecretMask.Url(url)}: {DoctorReport.Describe(ex)}; check {BrokerOptions.Section}:Url");
            return;
        }

        await using (connection)
        {
            var queues = new List<string>();
            foreach (var queue in new[] { options.Queue, $"{options.Queue}_error" })
            {
                queues.Add(await DescribeAsync(connection, queue, cancellationToken));
            }

            report.Ok(Name, $"RabbitMQ at {SecretMask.Url(url)} answers; {string.Join("; ", queues)}");
        }
    }

    private static async Task<string> DescribeAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        // A passive declaration that fails closes its channel: one channel per queue.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            var found = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            return $"queue {queue} exists ({found.MessageCount} messages, {found.ConsumerCount} consumers)";
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return $"queue {queue} does not exist yet (bridge run declares it)";
        }
    }
}
