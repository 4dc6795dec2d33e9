using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace Bridge.Sandbox.Emulators;

/// <summary>Lets tests refuse the event stream, drop the open ones, and see how many were accepted.</summary>
internal sealed class EventStreamControl(Action changed)
{
    private readonly ConcurrentDictionary<WebSocket, (HttpContext Connection, CancellationTokenSource Drop)> open = new();
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

    /// <summary>Counts an accepted stream; the token is cancelled when a test drops the streams.</summary>
    public CancellationToken Register(WebSocket socket, HttpContext connection)
    {
        var drop = new CancellationTokenSource();
        open[socket] = (connection, drop);
        Interlocked.Increment(ref accepted);
        changed();
        return drop.Token;
    }

    public void Unregister(WebSocket socket)
    {
        if (open.TryRemove(socket, out var entry))
        {
            entry.Drop.Dispose();
        }

        changed();
    }

    /// <summary>
    /// Cuts every open stream, as a network cut or a restarted server would. The stream's own reads and writes are
    /// cancelled (which aborts the websocket: disposing it alone does not end a receive Kestrel is waiting in), and the
    /// connection is aborted.
    /// </summary>
    public void DropAll()
    {
        foreach (var (_, (connection, drop)) in open)
        {
            try
            {
                drop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The stream ended meanwhile.
            }

            connection.Abort();
        }
    }
}
