using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Bridge.Tests.Infrastructure;

/// <summary>
/// A node's own directory (data, logs, config, Erlang cookie) under the temp dir, named for the test process so that
/// one left by a killed process can be recognised and removed; and the environment that points the node at it.
/// </summary>
internal sealed class RabbitMqNodeDirectory
{
    RabbitMqNodeDirectory(string path) => Path = path;

    public string Path { get; }

    /// <summary>A fresh, not yet created directory for a node of this process; removes those of dead processes first.</summary>
    public static RabbitMqNodeDirectory ForThisProcess()
    {
        // As root the node runs as the rabbitmq user, which must be able to reach the directory: /tmp is safe
        // whatever TMPDIR says.
        var baseDir = Environment.IsPrivilegedProcess ? "/tmp" : System.IO.Path.GetTempPath();
        DeleteStale(baseDir);
        var name = $"bridge-rabbitmq-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        return new RabbitMqNodeDirectory(System.IO.Path.Combine(baseDir, name));
    }

    public string LogFile(string nodeName) => System.IO.Path.Combine(Path, "log", nodeName + ".log");

    /// <summary>Everything the node reads from its environment: nothing from /etc/rabbitmq, all files in this directory.</summary>
    public IEnumerable<string> EnvironmentVariables(string nodeName, string host, int port, int distributionPort) =>
    [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "LC_ALL=C.UTF-8",
        // The Erlang cookie is read from $HOME/.erlang.cookie.
        $"HOME={Path}",
        "RABBITMQ_ALLOW_INPUT=true",
        $"RABBITMQ_CONF_ENV_FILE={In("rabbitmq-env.conf")}",
        $"RABBITMQ_NODENAME={nodeName}",
        $"RABBITMQ_NODE_IP_ADDRESS={host}",
        $"RABBITMQ_NODE_PORT={port}",
        $"RABBITMQ_DIST_PORT={distributionPort}",
        $"RABBITMQ_MNESIA_BASE={In("mnesia")}",
        $"RABBITMQ_LOG_BASE={In("log")}",
        $"RABBITMQ_PID_FILE={In("rabbitmq.pid")}",
        $"RABBITMQ_CONFIG_FILE={In("rabbitmq.conf")}",
        $"RABBITMQ_ADVANCED_CONFIG_FILE={In("advanced.config")}",
        $"RABBITMQ_ENABLED_PLUGINS_FILE={In("enabled_plugins")}",
    ];

    /// <summary>
    /// Creates the directory with the config files (the management plugin on <paramref name="host"/>:<paramref name="managementPort"/>,
    /// so that tests can read declarations back) and a fresh cookie unless it has one (owned by rabbitmq when we are root).
    /// </summary>
    public void Prepare(string host, int managementPort)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException();
        }

        Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(In("mnesia"));
        Directory.CreateDirectory(In("log"));
        File.WriteAllText(In("rabbitmq-env.conf"), "# empty: do not read /etc/rabbitmq/rabbitmq-env.conf\n");
        File.WriteAllText(In("enabled_plugins"), "[rabbitmq_management].\n");
        File.WriteAllText(In("advanced.config"), "[].\n");
        File.WriteAllText(
            In("rabbitmq.conf"),
            "# Private test broker. A nearly full CI disk must not silently block publishers.\n" +
            "disk_free_limit.absolute = 10MB\n" +
            $"management.tcp.ip = {host}\n" +
            $"management.tcp.port = {managementPort}\n");

        // A node started again keeps its cookie (the file is read-only).
        var cookie = In(".erlang.cookie");
        if (!File.Exists(cookie))
        {
            File.WriteAllText(cookie, Convert.ToHexString(RandomNumberGenerator.GetBytes(20)));
            File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
        }

        if (Environment.IsPrivilegedProcess)
        {
            RunChecked("chown", "-R", "rabbitmq:rabbitmq", Path);
        }
    }

    public void Delete()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(Path))
                {
                    Directory.Delete(Path, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 5)
            {
                // A file was still being written while the node went down.
            }
        }
    }

    /// <summary>Removes directories left by test processes that were killed (their node halted with them).</summary>
    static void DeleteStale(string baseDir)
    {
        foreach (var dir in Directory.EnumerateDirectories(baseDir, "bridge-rabbitmq-*-*"))
        {
            var owner = System.IO.Path.GetFileName(dir).Split('-')[2];
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

    string In(string name) => System.IO.Path.Combine(Path, name);

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
}
