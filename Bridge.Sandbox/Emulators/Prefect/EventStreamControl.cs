using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace Bridge.Sandbox.Emulators;

/// <summary>Lets tests refuse the event stream, drop the open ones, and see how many were accepted.</summary>
internal sealed class EventStreamControl(Action changed)
{
    private readonly ConcurrentDictionary<WebSocket, bool> open = new();
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

    public void Register(WebSocket socket)
    {
        open[socket] = true;
        Interlocked.Increment(ref accepted);
        changed();
    }

    public void Unregister(WebSocket socket)
    {
        open.TryRemove(socket, out _);
        changed();
    }

    /// <summary>Aborts every open stream, as a network cut or a restarted server would.</summary>
    public void DropAll()
    {
        foreach (var socket in open.Keys)
        {
            socket.Abort();
        }
    }
}
