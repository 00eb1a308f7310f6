namespace OrleansSlm.Tests.Support;

/// <summary>A storage write stopped by <see cref="StorageFaults.Hold"/>: the test learns when it got there and decides when it goes on.</summary>
public sealed class WriteHold
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the write arrives at the hold.</summary>
    public Task Reached => _reached.Task;

    public void Release() => _released.TrySetResult();

    public void Fail(Exception exception) => _released.TrySetException(exception);

    public Task WaitAsync()
    {
        _reached.TrySetResult();
        return _released.Task;
    }
}
