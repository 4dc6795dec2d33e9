using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Bridge.Tests.Infrastructure;

/// <summary>
/// One private RabbitMQ node started from Debian's rabbitmq-server, with its own node name, AMQP and
/// distribution ports and data/log/config directories under a temp dir. It neither needs nor touches a
/// system broker. The node reads its stdin (RABBITMQ_ALLOW_INPUT) and halts on EOF, so it also goes away
/// when the test process dies without disposing it.
/// </summary>
public sealed class RabbitMqBroker : IAsyncDisposable
{
    public const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    public const string NotInstalledMessage =
        "rabbitmq-server is not installed: run scripts/test (it installs it) or apt-get install rabbitmq-server";

    static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(60);
    static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);
    static int instances;

    readonly string tempDir;
    readonly ConcurrentQueue<string> output = new();
    readonly SemaphoreSlim connectionLock = new(1, 1);
    Process? process;
    IConnection? connection;
    bool disposed;

    RabbitMqBroker(string nodeName, string tempDir, int port, int distributionPort)
    {
        NodeName = nodeName;
        this.tempDir = tempDir;
        Port = port;
        DistributionPort = distributionPort;
    }

    public string NodeName { get; }
    public string Host => "127.0.0.1";
    public int Port { get; }
    public int DistributionPort { get; }
    public string Username => "guest";
    public string Password => "guest";
    public Uri AmqpUri => new($"amqp://{Username}:{Password}@{Host}:{Port}/");

    /// <summary>The exact command line the broker was started with (shell-quoted).</summary>
    public string Command { get; private set; } = "";

    /// <summary>Time from process start until the first AMQP connection succeeded.</summary>
    public TimeSpan StartupTime { get; private set; }

    public string LogFile => Path.Combine(tempDir, "log", NodeName + ".log");

    /// <summary>Starts a broker and returns once it accepts AMQP connections; throws with the log tail otherwise.</summary>
    public static async Task<RabbitMqBroker> StartAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The private RabbitMQ broker needs Linux with Debian's rabbitmq-server.");
        }

        if (!File.Exists(ServerScript))
        {
            throw new InvalidOperationException(NotInstalledMessage);
        }

        // Free ports are picked by binding port 0 and releasing it; if another process grabs one in between,
        // the node exits early and we try again with fresh ports.
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var broker = Create();
            try
            {
                await broker.StartProcessAsync(timeout ?? DefaultStartTimeout, cancellationToken);
                return broker;
            }
            catch (BrokerExitedException) when (attempt < attempts)
            {
                await broker.DisposeAsync();
            }
            catch
            {
                await broker.DisposeAsync();
                throw;
            }
        }
    }

    static RabbitMqBroker Create()
    {
        var pid = Environment.ProcessId;
        var nodeName = $"bridge-test-{pid}-{Interlocked.Increment(ref instances)}@localhost";
        // As root the node runs as the rabbitmq user, which must be able to reach the directory: /tmp is safe
        // whatever TMPDIR says.
        var baseDir = Environment.IsPrivilegedProcess ? "/tmp" : Path.GetTempPath();
        DeleteStaleDirectories(baseDir);
        var tempDir = Path.Combine(baseDir, $"bridge-rabbitmq-{pid}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        var (port, distributionPort) = FreePorts();
        return new RabbitMqBroker(nodeName, tempDir, port, distributionPort);
    }

    /// <summary>Removes directories left by test processes that were killed (their node halted with them).</summary>
    static void DeleteStaleDirectories(string baseDir)
    {
        foreach (var dir in Directory.EnumerateDirectories(baseDir, "bridge-rabbitmq-*-*"))
        {
            var owner = Path.GetFileName(dir).Split('-')[2];
            if (int.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Someone else's, or already gone.
                }
            }
        }
    }

    async Task StartProcessAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        PrepareDirectory();

        var environment = new List<string>
        {
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LC_ALL=C.UTF-8",
            // The Erlang cookie is read from $HOME/.erlang.cookie.
            $"HOME={tempDir}",
            "RABBITMQ_ALLOW_INPUT=true",
            $"RABBITMQ_CONF_ENV_FILE={Path.Combine(tempDir, "rabbitmq-env.conf")}",
            $"RABBITMQ_NODENAME={NodeName}",
            $"RABBITMQ_NODE_IP_ADDRESS={Host}",
            $"RABBITMQ_NODE_PORT={Port}",
            $"RABBITMQ_DIST_PORT={DistributionPort}",
            $"RABBITMQ_MNESIA_BASE={Path.Combine(tempDir, "mnesia")}",
            $"RABBITMQ_LOG_BASE={Path.Combine(tempDir, "log")}",
            $"RABBITMQ_PID_FILE={Path.Combine(tempDir, "rabbitmq.pid")}",
            $"RABBITMQ_CONFIG_FILE={Path.Combine(tempDir, "rabbitmq.conf")}",
            $"RABBITMQ_ADVANCED_CONFIG_FILE={Path.Combine(tempDir, "advanced.config")}",
            $"RABBITMQ_ENABLED_PLUGINS_FILE={Path.Combine(tempDir, "enabled_plugins")}",
        };
        var arguments = new List<string>();
        if (Environment.IsPrivilegedProcess)
        {
            // Debian's /usr/sbin/rabbitmq-server wrapper uses `su rabbitmq`, which drops the environment.
            arguments.AddRange([File.Exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser", "-u", "rabbitmq", "--"]);
        }

        arguments.AddRange(["/usr/bin/env", "-i", .. environment, ServerScript]);
        Command = string.Join(' ', arguments.Select(ShellQuote));

        var startInfo = new ProcessStartInfo(arguments[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = tempDir,
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
        var factory = CreateConnectionFactory();
        factory.AutomaticRecoveryEnabled = false;
        factory.RequestedConnectionTimeout = TimeSpan.FromSeconds(5);
        Exception? lastError = null;
        while (stopwatch.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new BrokerExitedException(Describe($"exited with code {process.ExitCode} before accepting connections", lastError));
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

    void PrepareDirectory()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException();
        }

        Directory.CreateDirectory(tempDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Path.Combine(tempDir, "mnesia"));
        Directory.CreateDirectory(Path.Combine(tempDir, "log"));
        File.WriteAllText(Path.Combine(tempDir, "rabbitmq-env.conf"), "# empty: do not read /etc/rabbitmq/rabbitmq-env.conf\n");
        File.WriteAllText(Path.Combine(tempDir, "enabled_plugins"), "[].\n");
        File.WriteAllText(Path.Combine(tempDir, "advanced.config"), "[].\n");
        File.WriteAllText(
            Path.Combine(tempDir, "rabbitmq.conf"),
            "# Private test broker. A nearly full CI disk must not silently block publishers.\n" +
            "disk_free_limit.absolute = 10MB\n");

        var cookie = Path.Combine(tempDir, ".erlang.cookie");
        File.WriteAllText(cookie, Convert.ToHexString(RandomNumberGenerator.GetBytes(20)));
        File.SetUnixFileMode(cookie, UnixFileMode.UserRead);

        if (Environment.IsPrivilegedProcess)
        {
            RunChecked("chown", "-R", "rabbitmq:rabbitmq", tempDir);
        }
    }

    public ConnectionFactory CreateConnectionFactory() => new()
    {
        HostName = Host,
        Port = Port,
        UserName = Username,
        Password = Password,
        VirtualHost = "/",
    };

    /// <summary>Number of ready messages in the queue; 0 if the queue does not exist.</summary>
    public async Task<uint> MessageCountAsync(string queue)
    {
        await using var channel = await OpenChannelAsync(confirms: false);
        try
        {
            var ok = await channel.QueueDeclarePassiveAsync(queue);
            return ok.MessageCount;
        }
        catch (OperationInterruptedException e) when (IsNotFound(e))
        {
            return 0;
        }
    }

    public async Task<bool> QueueExistsAsync(string queue)
    {
        await using var channel = await OpenChannelAsync(confirms: false);
        try
        {
            await channel.QueueDeclarePassiveAsync(queue);
            return true;
        }
        catch (OperationInterruptedException e) when (IsNotFound(e))
        {
            return false;
        }
    }

    /// <summary>
    /// Publishes a persistent message and waits for the broker's confirm. Published as mandatory: throws
    /// <see cref="PublishException"/> if no queue receives it. Use exchange "" to publish straight to a queue.
    /// </summary>
    public async Task PublishRawAsync(string exchange, string routingKey, byte[] body, string? contentType)
    {
        await using var channel = await OpenChannelAsync(confirms: true);
        var properties = new BasicProperties { Persistent = true, ContentType = contentType };
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body);
    }

    /// <summary>basic.get with ack: the body of the next message, or null if the queue is empty or does not exist.</summary>
    public async Task<byte[]?> GetAsync(string queue)
    {
        await using var channel = await OpenChannelAsync(confirms: false);
        BasicGetResult? result;
        try
        {
            result = await channel.BasicGetAsync(queue, autoAck: false);
        }
        catch (OperationInterruptedException e) when (IsNotFound(e))
        {
            return null;
        }

        if (result is null)
        {
            return null;
        }

        var body = result.Body.ToArray();
        await channel.BasicAckAsync(result.DeliveryTag, multiple: false);
        return body;
    }

    /// <summary>
    /// basic.get with ack: the next message's body, content type and headers, or null if the queue is empty or does not
    /// exist. Header values that are AMQP long strings (byte[]) are decoded as UTF-8; other values are as the client gives them.
    /// </summary>
    public async Task<(byte[] Body, string? ContentType, IReadOnlyDictionary<string, object?> Headers)?> GetWithHeadersAsync(string queue)
    {
        await using var channel = await OpenChannelAsync(confirms: false);
        BasicGetResult? result;
        try
        {
            result = await channel.BasicGetAsync(queue, autoAck: false);
        }
        catch (OperationInterruptedException e) when (IsNotFound(e))
        {
            return null;
        }

        if (result is null)
        {
            return null;
        }

        var headers = (result.BasicProperties.Headers ?? new Dictionary<string, object?>()).ToDictionary(
            h => h.Key, h => h.Value is byte[] text ? Encoding.UTF8.GetString(text) : h.Value, StringComparer.Ordinal);
        var body = result.Body.ToArray();
        await channel.BasicAckAsync(result.DeliveryTag, multiple: false);
        return (body, result.BasicProperties.ContentType, headers);
    }

    public async Task DeleteQueueAsync(string queue)
    {
        await using var channel = await OpenChannelAsync(confirms: false);
        await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
    }

    /// <summary>The last lines of the broker's log file and of its stdout/stderr.</summary>
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

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (connection is not null)
        {
            try
            {
                await connection.CloseAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception e) when (e is IOException or OperationInterruptedException or AlreadyClosedException or TimeoutException)
            {
                // The broker is going away anyway.
            }

            await connection.DisposeAsync();
        }

        connectionLock.Dispose();
        try
        {
            if (process is not null)
            {
                await StopProcessAsync(process);
            }
        }
        finally
        {
            process?.Dispose();
            DeleteDirectory();
        }
    }

    async Task StopProcessAsync(Process node)
    {
        // EOF on stdin halts the node. If it does not go, kill the tree.
        try
        {
            node.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }

        using (var timeout = new CancellationTokenSource(StopTimeout))
        {
            try
            {
                await node.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                node.Kill(entireProcessTree: true);
            }
        }

        // erl_child_setup puts its children (inet_gethost, the disk monitor) into sessions of their own, so
        // the tree may miss some: find everything started with this node's name (except the shared epmd).
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var leftovers = FindNodeProcesses();
            if (leftovers.Count == 0)
            {
                return;
            }

            if (deadline.Elapsed > StopTimeout)
            {
                throw new InvalidOperationException(
                    $"RabbitMQ node {NodeName} left processes running: {string.Join(", ", leftovers)}");
            }

            foreach (var pid in leftovers)
            {
                try
                {
                    using var leftover = Process.GetProcessById(pid);
                    leftover.Kill();
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Exited in the meantime.
                }
            }

            await Task.Delay(50);
        }
    }

    List<int> FindNodeProcesses()
    {
        var marker = Encoding.UTF8.GetBytes($"\0RABBITMQ_NODENAME={NodeName}\0");
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var comm = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                var environ = File.ReadAllBytes(Path.Combine(dir, "environ"));
                // epmd is started by the first node and shared by all Erlang nodes on the machine: leave it.
                if (comm != "epmd" && ((ReadOnlySpan<byte>)[0, .. environ]).IndexOf(marker) >= 0)
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Process exited, or is not ours to read.
            }
        }

        return found;
    }

    void DeleteDirectory()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(tempDir))
                {
                    Directory.Delete(tempDir, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 5)
            {
                // A file was still being written while the node went down.
            }
        }
    }

    async Task<IChannel> OpenChannelAsync(bool confirms)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        await connectionLock.WaitAsync();
        try
        {
            if (connection is null || !connection.IsOpen)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }

                connection = await CreateConnectionFactory().CreateConnectionAsync("bridge-test-helpers");
            }
        }
        finally
        {
            connectionLock.Release();
        }

        return await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: confirms, publisherConfirmationTrackingEnabled: confirms));
    }

    static bool IsNotFound(OperationInterruptedException e) => e.ShutdownReason?.ReplyCode == 404;

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
        message.Append(CultureInfo.InvariantCulture, $"RabbitMQ node {NodeName} (amqp port {Port}, dist port {DistributionPort}) {what}.\n");
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

    static (int Port, int DistributionPort) FreePorts()
    {
        // Both listeners are open at once so the two ports differ; Any, because Erlang distribution binds all interfaces.
        var first = new TcpListener(IPAddress.Any, 0);
        var second = new TcpListener(IPAddress.Any, 0);
        try
        {
            first.Start();
            second.Start();
            return (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
        }
        finally
        {
            first.Stop();
            second.Stop();
        }
    }

    static void RunChecked(string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var run = Process.Start(startInfo) ?? throw new InvalidOperationException($"Cannot start {fileName}");
        var error = run.StandardError.ReadToEnd();
        run.WaitForExit();
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed ({run.ExitCode}): {error}");
        }
    }

    static string ShellQuote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:@,+".Contains(c, StringComparison.Ordinal))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    sealed class BrokerExitedException(string message) : Exception(message);
}
