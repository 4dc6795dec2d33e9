using System.Diagnostics;

namespace Bridge.Tests.Support;

/// <summary>
/// Waits for a condition on something that cannot notify us (a broker queue's depth) by checking it until a deadline.
/// Where an emulator can notify, use its <c>WaitForAsync</c> instead.
/// </summary>
internal static class Eventually
{
    public static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting until {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
