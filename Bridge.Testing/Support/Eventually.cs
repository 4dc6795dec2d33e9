using System.Diagnostics;

namespace Bridge.Tests.Support;

/// <summary>
/// Waits for a condition on something that cannot notify us (a broker queue's depth) by checking it until a deadline.
/// Where an emulator can notify, use its <c>WaitForAsync</c> instead.
/// </summary>
internal static class Eventually
{
    /// <param name="interval">How often to check (50 ms unless given); the benchmark checks more often where it times the wait.</param>
    public static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting until {what}.");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50));
        }
    }
}
