using Bridge.Worker.Doctor;
using Bridge.Worker.Queue;
using Bridge.Worker.Redrive;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Bridge.Worker.Cli;

internal static partial class RedriveCommand
{
    private const string S = BrokerOptions.Section;

    /// <summary>The verb's work, with the console and the clock passed in (the tests run it in-process).</summary>
    public static async Task<int> RunAsync(
        RedriveSettings settings, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(time);
        var (broker, problems) = ReadBroker(settings.Settings);
        if (problems.Count > 0)
        {
            await error.WriteLineAsync("bridge redrive: the configuration is not valid:");
            foreach (var problem in problems)
            {
                await error.WriteLineAsync($"  - {problem}");
            }

            return RunCommand.ConfigurationError;
        }

        var url = new Uri(broker.Url);
        var request = new RedriveRequest(broker.Queue, settings.Filter, settings.Limit, settings.DryRun);
        var factory = new ConnectionFactory { Uri = url, AutomaticRecoveryEnabled = false, ClientProvidedName = "bridge-redrive" };
        IConnection connection;
        try
        {
            connection = await factory.CreateConnectionAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return Interrupted;
        }
        catch (BrokerUnreachableException ex)
        {
            // The URL carries the broker password: only its masked form is shown.
            await error.WriteLineAsync($"bridge redrive: cannot reach RabbitMQ at {SecretMask.Url(url)} ({S}:Url): {DoctorReport.Describe(ex)}");
            return RunCommand.BrokerUnreachable;
        }

        await using (connection)
        {
            foreach (var queue in new[] { request.ErrorQueue, request.Queue })
            {
                if (!await ExistsAsync(connection, queue))
                {
                    await error.WriteLineAsync(
                        $"bridge redrive: RabbitMQ at {SecretMask.Url(url)} has no queue '{queue}' ({S}:Queue is '{request.Queue}', or --queue): "
                        + "check the queue name; 'bridge run' declares the queue and its _error queue at start-up.");
                    return QueueMissing;
                }
            }

            return await RedriveAsync(connection, request, factory.UserName, output, error, time.GetUtcNow(), cancellationToken);
        }
    }

    private static async Task<int> RedriveAsync(
        IConnection connection, RedriveRequest request, string user, TextWriter output, TextWriter error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var report = new RedriveReport(output, request, now);
        try
        {
            await using var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), CancellationToken.None);
            await new Redriver(channel, request, report, user, now).RunAsync(cancellationToken);
            report.Summary(stoppedBy: null);
            return 0;
        }
        catch (OperationCanceledException)
        {
            report.Summary(stoppedBy: "interrupted");
            return Interrupted;
        }
        catch (Exception ex) when (ex is RabbitMQClientException or IOException)
        {
            report.Summary(stoppedBy: $"RabbitMQ: {DoctorReport.Describe(ex)}");
            await error.WriteLineAsync($"bridge redrive: stopped: {DoctorReport.Describe(ex)}");
            return Stopped;
        }
    }

    /// <summary>The broker settings as <c>bridge run</c> reads them (the same sources), and what is wrong with them.</summary>
    private static (BrokerOptions Broker, IReadOnlyList<string> Problems) ReadBroker(string[] settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = settings, ContentRootPath = AppContext.BaseDirectory });
        using var configuration = builder.Configuration;
        var broker = configuration.GetSection(S).Get<BrokerOptions>() ?? new BrokerOptions();
        var validation = new BrokerOptionsValidator().Validate(null, broker);
        List<string> problems = validation.Failed ? [.. validation.Failures] : [];
        if (broker.Transport != BrokerTransport.RabbitMq)
        {
            problems.Add($"{S}:Transport is {broker.Transport}: there is no broker and no _error queue to redrive from");
        }

        return (broker, problems);
    }

    /// <summary>A passive declaration, on a channel of its own: one that fails closes its channel.</summary>
    private static async Task<bool> ExistsAsync(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await channel.QueueDeclarePassiveAsync(queue);
            return true;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
    }
}
