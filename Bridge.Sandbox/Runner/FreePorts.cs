using System.Net;
using System.Net.Sockets;

namespace Bridge.Sandbox.Runner;

/// <summary>A loopback port free right now (the caller must bind it soon; another process may take it in between).</summary>
internal static class FreePorts
{
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
