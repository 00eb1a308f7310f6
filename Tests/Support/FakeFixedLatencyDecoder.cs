using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Models;

namespace OrleansSlm.Tests.Support;

/// <summary>
/// A FAKE engine for routing and scaling tests only: every model run, whatever its batch, takes a fixed time and
/// returns all-zero logits (greedy then picks token 0). It uses no CPU, so silos in one test process scale as
/// separate machines would.
/// </summary>
public sealed class FakeFixedLatencyDecoder(ModelDescription description, int slots, int capacity, TimeSpan stepTime) : IDecoder
{
    private int _live;

    private TimeSpan StepTime => stepTime;

    public ModelDescription Description => description;

    public int MaxSequenceLength => capacity;

    public int Slots => slots;

    public IDecoderSequence StartSequence()
    {
        if (Interlocked.Increment(ref _live) > slots)
        {
            Interlocked.Decrement(ref _live);
            throw new InvalidOperationException("All fake slots are in use.");
        }

        return new Sequence(this);
    }

    public void DecodeBatch(IReadOnlyList<IDecoderSequence> rows, ReadOnlySpan<int> tokens, Memory<float> logits)
    {
        Thread.Sleep(stepTime);
        foreach (var row in rows)
        {
            ((Sequence)row).Length++;
        }

        logits.Span[..(rows.Count * description.VocabSize)].Clear();
    }

    public void Dispose()
    {
    }

    private sealed class Sequence(FakeFixedLatencyDecoder decoder) : IDecoderSequence
    {
        public int Length { get; set; }

        public int VocabSize => decoder.Description.VocabSize;

        public void Append(ReadOnlySpan<int> tokens, Memory<float> logits)
        {
            Thread.Sleep(decoder.StepTime);
            Length += tokens.Length;
            logits.Span[..VocabSize].Clear();
        }

        public void Dispose() => Interlocked.Decrement(ref decoder._live);
    }
}
