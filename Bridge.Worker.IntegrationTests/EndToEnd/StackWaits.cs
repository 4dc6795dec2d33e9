namespace Bridge.Tests.EndToEnd;

internal static class StackWaits
{
    /// <summary>
    /// Until Bitbucket has answered <paramref name="count"/> status posts with 201. (Wait on this rather than on
    /// <c>Statuses</c> before asserting on <c>PostCalls</c>: a call is recorded only as its answer starts.)
    /// </summary>
    public static Task WaitForAcceptedStatusesAsync(this BridgeStack stack, int count = 1, TimeSpan? deadline = null) =>
        stack.Bitbucket.WaitForAsync(() => stack.Bitbucket.PostCalls.Count(c => c.StatusCode == 201) >= count, deadline ?? BridgeStack.Deadline);
}
