using System.Threading.Channels;

namespace Bridge.Worker.Correlation;

/// <summary>
/// Handles items concurrently on a fixed number of lanes, each item on the lane its key hashes to: items of one key
/// are handled one at a time, in the order written; items of different keys side by side. A full lane makes the
/// writer wait. Disposing stops taking items and waits for the lanes; the items still queued when the token is
/// cancelled are dropped.
/// </summary>
internal sealed class OrderedLanes<T> : IAsyncDisposable
{
    private const int LaneCapacity = 256;
    private readonly Channel<T>[] _lanes;
    private readonly Task[] _readers;

    public OrderedLanes(int count, Func<T, CancellationToken, Task> handle, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _lanes = [.. Enumerable.Range(0, count).Select(_ => Channel.CreateBounded<T>(new BoundedChannelOptions(LaneCapacity) { SingleReader = true }))];
        _readers = [.. _lanes.Select(lane => Task.Run(() => ReadAsync(lane.Reader, handle, cancellationToken), CancellationToken.None))];
    }

    public ValueTask WriteAsync(Guid key, T item, CancellationToken cancellationToken) =>
        _lanes[(key.GetHashCode() & int.MaxValue) % _lanes.Length].Writer.WriteAsync(item, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var lane in _lanes)
        {
            lane.Writer.TryComplete();
        }

        await Task.WhenAll(_readers);
    }

    private static async Task ReadAsync(ChannelReader<T> lane, Func<T, CancellationToken, Task> handle, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in lane.ReadAllAsync(cancellationToken))
            {
                await handle(item, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
