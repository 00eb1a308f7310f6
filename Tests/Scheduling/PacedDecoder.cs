using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Models;

namespace OrleansSlm.Tests.Scheduling;

/// <summary>
/// A real decoder whose decode steps take at least <paramref name="stepTime"/>, so that tests about queueing and
/// cancellation see requests still running when they look, however fast the tiny model is. It counts the sequences
/// it starts: one per generation the scheduler admits.
/// </summary>
public sealed class PacedDecoder(IDecoder inner, TimeSpan stepTime) : IDecoder
{
    private int _sequencesStarted;

    public int SequencesStarted => Volatile.Read(ref _sequencesStarted);

    public ModelDescription Description => inner.Description;

    public int MaxSequenceLength => inner.MaxSequenceLength;

    public int Slots => inner.Slots;

    public IDecoderSequence StartSequence()
    {
        Interlocked.Increment(ref _sequencesStarted);
        return inner.StartSequence();
    }

    public void DecodeBatch(IReadOnlyList<IDecoderSequence> rows, ReadOnlySpan<int> tokens, Memory<float> logits)
    {
        Thread.Sleep(stepTime);
        inner.DecodeBatch(rows, tokens, logits);
    }

    public void Compact() => inner.Compact();

    public void Dispose() => inner.Dispose();
}
