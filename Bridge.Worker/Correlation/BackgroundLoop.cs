namespace Bridge.Worker.Correlation;

/// <summary>
/// What the background loops survive: anything but their own shutdown. An upstream that fails in a way nobody
/// foresaw (a timeout after retries, an open circuit, a malformed answer) must not stop the worker: the loop logs
/// it and tries again on its next turn, and the other paths (stream, poll, repair) cover the gap.
/// </summary>
internal static class BackgroundLoop
{
    public static bool ShouldContinue(Exception ex, CancellationToken stopping) =>
        !(ex is OperationCanceledException && stopping.IsCancellationRequested) && ex is not OutOfMemoryException;
}
