using System.Collections.Concurrent;
using Bridge.Worker.Correlation;

namespace Bridge.Tests.Correlation;

public sealed class OrderedLanesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Items_of_one_key_are_handled_in_the_order_written()
    {
        var keys = Enumerable.Range(1, 5).Select(i => new Guid(i, 0, 0, new byte[8])).ToList();
        var handled = new ConcurrentDictionary<Guid, ConcurrentQueue<int>>();
        await using (var lanes = new OrderedLanes<(Guid Key, int N)>(3, async (item, _) =>
        {
            await Task.Yield();
            handled.GetOrAdd(item.Key, _ => new ConcurrentQueue<int>()).Enqueue(item.N);
        }, CancellationToken.None))
        {
            for (var n = 0; n < 200; n++)
            {
                foreach (var key in keys)
                {
                    await lanes.WriteAsync(key, (key, n), CancellationToken.None);
                }
            }
        }

        Assert.All(keys, key => Assert.Equal(Enumerable.Range(0, 200), handled[key]));
    }

    [Fact]
    public async Task Items_of_keys_on_different_lanes_are_handled_side_by_side()
    {
        // Two keys on the two lanes: the first one's handler returns only once the second one's has run.
        var first = new Guid(0, 0, 0, new byte[8]);
        var second = Enumerable.Range(1, 100).Select(i => new Guid(i, 0, 0, new byte[8]))
            .First(g => (g.GetHashCode() & int.MaxValue) % 2 != (first.GetHashCode() & int.MaxValue) % 2);
        var secondHandled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstHandled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var lanes = new OrderedLanes<Guid>(2, async (key, token) =>
        {
            if (key == first)
            {
                await secondHandled.Task.WaitAsync(Deadline, token);
                firstHandled.SetResult();
            }
            else
            {
                secondHandled.SetResult();
            }
        }, CancellationToken.None);

        await lanes.WriteAsync(first, first, CancellationToken.None);
        await lanes.WriteAsync(second, second, CancellationToken.None);

        await firstHandled.Task.WaitAsync(Deadline);
    }
}
