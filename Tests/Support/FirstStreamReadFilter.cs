using OrleansSlm.Grains.Inference;

namespace OrleansSlm.Tests.Support;

/// <summary>
/// A silo-wide grain call filter that acts on the first read of an inference grain's stream after the silo accepted
/// the request: it holds the answer back (a silo that is slow but alive) or fails the call (a call that breaks while
/// its silo lives on).
/// </summary>
public sealed class FirstStreamReadFilter(Func<Task> afterFirstRead) : IIncomingGrainCallFilter
{
    private int _reads;

    public static FirstStreamReadFilter Holding(TimeSpan hold) => new(() => Task.Delay(hold));

    public static FirstStreamReadFilter Failing() => new(() => throw new TimeoutException("The test failed this read of the stream."));

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        await context.Invoke();
        // The stream's first call (StartEnumeration) brings the acceptance; MoveNext calls bring what follows.
        if (context.Grain is InferenceGrain && context.InterfaceMethod.Name == "MoveNext" && Interlocked.Increment(ref _reads) == 1)
        {
            await afterFirstRead();
        }
    }
}
