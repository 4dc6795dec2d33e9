using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace Bridge.Sandbox.Emulators;

/// <summary>Lets tests refuse the event stream, drop the open ones, and see how many were accepted.</summary>
internal sealed class EventStreamControl(Action changed)
{
    private readonly ConcurrentDictionary<WebSocket, HttpContext> open = new();
    private int accepted;
    private int refused;

    public bool Refuse { get; set; }

    public int Accepted => Volatile.Read(ref accepted);

    public int Refused => Volatile.Read(ref refused);

    public int Open => open.Count;

    public void CountRefused()
    {
        Interlocked.Increment(ref refused);
        changed();
    }

    public void Register(WebSocket socket, HttpContext connection)
    {
        open[socket] = connection;
        Interlocked.Increment(ref accepted);
        changed();
    }

    public void Unregister(WebSocket socket)
    {
        open.TryRemove(socket, out _);
        changed();
    }

    /// <summary>
    /// Aborts every open stream, as a network cut or a restarted server would: the connection itself is cut, which
    /// also ends a receive the stream is waiting in (aborting only the websocket does not always reach it).
    /// </summary>
    public void DropAll()
    {
        foreach (var (socket, connection) in open)
        {
            socket.Abort();
            connection.Abort();
        }
    }
}
