using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Bridge.Sandbox.Runner;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Bridge.Tests.Infrastructure;

/// <summary>
/// The rabbitmq-server process of one private node: its name and ports, the command line, starting it until it accepts
/// AMQP connections, and stopping it with every process it left (<see cref="RabbitMqNodeProcesses"/>).
/// </summary>
internal sealed class RabbitMqNode : IAsyncDisposable
{
    public const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    public const string Host = "127.0.0.1";

    static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);
    static int instances;

    readonly RabbitMqNodeDirectory directory;
    readonly ConcurrentQueue<string> output = new();
    Process? process;

    RabbitMqNode(string nodeName, RabbitMqNodeDirectory directory, int port, int distributionPort, int managementPort)
    {
        NodeName = nodeName;
        this.directory = directory;
        Port = port;
        DistributionPort = distributionPort;
        ManagementPort = managementPort;
    }

    public string NodeName { get; }
    public int Port { get; }
    public int DistributionPort { get; }

    /// <summary>The management plugin's HTTP API (<see cref="RabbitMqManagement"/>), on <see cref="Host"/>.</summary>
    public int ManagementPort { get; }

    public string Command { get; private set; } = "";
    public TimeSpan StartupTime { get; private set; }
    public string LogFile => directory.LogFile(NodeName);

    /// <summary>A node of this process with fresh ports and directory (nothing started yet).</summary>
    public static RabbitMqNode Create()
    {
        var nodeName = $"bridge-test-{Environment.ProcessId}-{Interlocked.Increment(ref instances)}@localhost";
        // The ports must differ; a port taken in between makes the node exit early (ExitedException: try again).
        var ports = new HashSet<int>();
        while (ports.Count < 3)
        {
            ports.Add(FreePorts.Next());
        }

        int[] picked = [.. ports];
        return new RabbitMqNode(nodeName, RabbitMqNodeDirectory.ForThisProcess(), picked[0], picked[1], picked[2]);
    }

    /// <summary>Starts the node and returns once <paramref name="factory"/> connects; throws with the log tail otherwise.</summary>
    public async Task StartAsync(ConnectionFactory factory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        directory.Prepare(Host, ManagementPort);
        var arguments = new List<string>();
        if (Environment.IsPrivilegedProcess)
        {
            // Debian's /usr/sbin/rabbitmq-server wrapper uses `su rabbitmq`, which drops the environment.
            arguments.AddRange([File.Exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser", "-u", "rabbitmq", "--"]);
        }

        arguments.AddRange(["/usr/bin/env", "-i", .. directory.EnvironmentVariables(NodeName, Host, Port, DistributionPort), ServerScript]);
        Command = string.Join(' ', arguments.Select(ShellQuote));

        var startInfo = new ProcessStartInfo(arguments[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory.Path,
        };
        foreach (var argument in arguments.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        var stopwatch = Stopwatch.StartNew();
        process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => AddOutput(e.Data);
        process.ErrorDataReceived += (_, e) => AddOutput(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync(CancellationToken.None);
        factory.AutomaticRecoveryEnabled = false;
        factory.RequestedConnectionTimeout = TimeSpan.FromSeconds(5);
        Exception? lastError = null;
        while (stopwatch.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new ExitedException(Describe($"exited with code {process.ExitCode} before accepting connections", lastError));
            }

            try
            {
                await using var probe = await factory.CreateConnectionAsync("bridge-test-readiness", cancellationToken);
                StartupTime = stopwatch.Elapsed;
                return;
            }
            catch (Exception e) when (e is BrokerUnreachableException or IOException or SocketException or OperationInterruptedException or TimeoutException)
            {
                lastError = e;
            }

            // Poll interval; also wakes up as soon as the process exits.
            await Task.WhenAny(exited, Task.Delay(100, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }

        throw new TimeoutException(Describe($"did not accept AMQP connections within {timeout.TotalSeconds:0.#} s", lastError));
    }

    /// <summary>The last lines of the node's log file and of its stdout/stderr.</summary>
    public string ReadLogTail(int lines = 40)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"--- {LogFile} (last {lines} lines) ---\n");
        try
        {
            foreach (var line in File.ReadLines(LogFile).TakeLast(lines))
            {
                text.Append(line).Append('\n');
            }
        }
        catch (IOException e)
        {
            text.Append(CultureInfo.InvariantCulture, $"(cannot read: {e.Message})\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"--- stdout/stderr (last {lines} lines) ---\n");
        foreach (var line in output.TakeLast(lines))
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Stops the node and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            directory.Delete();
        }
    }

    /// <summary>
    /// Stops the node (EOF on stdin halts it; the process tree is killed if it does not go) and keeps its directory, so that
    /// <see cref="StartAsync"/> brings it back with its durable queues and persistent messages, on the same ports.
    /// </summary>
    public async Task StopAsync()
    {
        try
        {
            if (process is not null)
            {
                try
                {
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // Already gone.
                }

                using var timeout = new CancellationTokenSource(StopTimeout);
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                }

                await RabbitMqNodeProcesses.KillLeftoversAsync(NodeName, StopTimeout);
            }
        }
        finally
        {
            process?.Dispose();
            process = null;
        }
    }

    void AddOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        // The Erlang shell writes terminal escapes (window title); keep the log readable.
        output.Enqueue(new string(line.Where(c => c == '\t' || !char.IsControl(c)).ToArray()));
        while (output.Count > 200 && output.TryDequeue(out _))
        {
        }
    }

    string Describe(string what, Exception? lastError)
    {
        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture, $"RabbitMQ node {NodeName} (amqp port {Port}, dist port {DistributionPort}, management port {ManagementPort}) {what}.\n");
        message.Append(CultureInfo.InvariantCulture, $"Command: {Command}\n");
        if (lastError is not null)
        {
            message.Append("Last connection error:");
            for (var e = lastError; e is not null; e = e.InnerException)
            {
                message.Append(CultureInfo.InvariantCulture, $" {e.GetType().Name}: {e.Message}");
            }

            message.Append('\n');
        }

        message.Append(ReadLogTail());
        return message.ToString();
    }

    static string ShellQuote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:@,+".Contains(c, StringComparison.Ordinal))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>The node exited before it accepted connections (typically: a port was taken in between).</summary>
    public sealed class ExitedException(string message) : Exception(message);
}
