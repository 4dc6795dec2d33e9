using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Bridge.Tests.Infrastructure;

/// <summary>
/// The processes a node leaves behind: erl_child_setup puts its children (inet_gethost, the disk monitor) into sessions
/// of their own, so killing the process tree may miss some. They are found by the node name in their environment.
/// </summary>
internal static class RabbitMqNodeProcesses
{
    /// <summary>Kills every process started with this node's name (except the shared epmd) until none is left.</summary>
    public static async Task KillLeftoversAsync(string nodeName, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var leftovers = Find(nodeName);
            if (leftovers.Count == 0)
            {
                return;
            }

            if (deadline.Elapsed > timeout)
            {
                throw new InvalidOperationException(
                    $"RabbitMQ node {nodeName} left processes running: {string.Join(", ", leftovers)}");
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

    /// <summary>The processes started with this node's name in their environment, except the shared epmd.</summary>
    public static List<int> Find(string nodeName)
    {
        var marker = Encoding.UTF8.GetBytes($"\0RABBITMQ_NODENAME={nodeName}\0");
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
}
