namespace Bridge.Sandbox.Emulators;

/// <summary>
/// Wakes waiters whenever an emulator's state changes, so that tests wait on a condition with a deadline instead
/// of sleeping.
/// </summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource changed = NewSource();

    public void Notify() =>
        Interlocked.Exchange(ref changed, NewSource()).TrySetResult();

    public async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var next = Volatile.Read(ref changed).Task;
            if (condition())
            {
                return;
            }

            try
            {
                await next.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (condition())
                {
                    return;
                }

                throw new TimeoutException($"The emulator condition was not met within {timeout}.");
            }
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
