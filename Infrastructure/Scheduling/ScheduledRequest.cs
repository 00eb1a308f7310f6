using System.Diagnostics;
using System.Threading.Channels;
using OrleansSlm.Infrastructure.Engine;
using OrleansSlm.Infrastructure.Sampling;
using OrleansSlm.Infrastructure.Text;

namespace OrleansSlm.Infrastructure.Scheduling;

/// <summary>
/// One request inside the scheduler: its prompt still to prefill, its KV cache sequence once admitted, and its own
/// sampler, detokeniser and stop-string matcher. Only the scheduler's loop touches it, except <see cref="Cancel"/>.
/// </summary>
internal sealed class ScheduledRequest(GenerationRequest request, ITextTokenizer tokenizer, IReadOnlyCollection<int> eosTokenIds)
{
    private readonly Channel<GeneratedChunk> _output = Channel.CreateUnbounded<GeneratedChunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly int[] _prompt = [.. request.PromptTokens];
    private readonly List<int> _generated = [];
    private readonly Sampler _sampler = new(request.Sampling);
    private readonly StreamingDetokenizer _detokenizer = new(tokenizer);
    private readonly StopSequenceMatcher _stops = new(request.StopSequences ?? []);
    private readonly long _arrived = Stopwatch.GetTimestamp();
    private long _lastToken;
    private volatile bool _cancelled;

    public ChannelReader<GeneratedChunk> Output => _output.Reader;

    public IDecoderSequence? Sequence { get; private set; }

    public bool IsCancelled => _cancelled;

    public bool IsPrefilled => Sequence is not null && Sequence.Length >= _prompt.Length;

    /// <summary>The token the next decode step feeds (the last one sampled).</summary>
    public int NextToken { get; private set; }

    public bool IsFinished { get; private set; }

    /// <summary>Why the request ended; null while it runs or when it failed.</summary>
    public FinishReason? Finish { get; private set; }

    public TimeSpan SinceArrival => Stopwatch.GetElapsedTime(_arrived);

    public void Cancel() => _cancelled = true;

    public void Admit(IDecoderSequence sequence) => Sequence = sequence;

    /// <summary>Prefills up to <paramref name="budget"/> more prompt tokens; returns the last token's logits, or null while prompt remains.</summary>
    public (float[]? Logits, int Tokens) PrefillChunk(int budget)
    {
        var sequence = Sequence ?? throw new InvalidOperationException("The request holds no KV cache slot.");
        var count = Math.Min(budget, _prompt.Length - sequence.Length);
        var logits = sequence.Append(_prompt.AsSpan(sequence.Length, count));
        return (IsPrefilled ? logits : null, count);
    }

    /// <summary>Samples the next token from its logits and streams what it makes visible; true when the request is done.</summary>
    public bool Accept(ReadOnlySpan<float> logits, int capacity, InferenceMetrics metrics)
    {
        var token = _sampler.Sample(logits, _prompt, _generated);
        var now = Stopwatch.GetTimestamp();
        TimeSpan? sincePrevious = _lastToken == 0 ? null : Stopwatch.GetElapsedTime(_lastToken, now);
        _lastToken = now;
        if (!request.IgnoreEos && eosTokenIds.Contains(token))
        {
            Close(FinishReason.Stop);
            return true;
        }

        metrics.TokenGenerated(Stopwatch.GetElapsedTime(_arrived, now), sincePrevious);
        _generated.Add(token);
        var match = _stops.Push(_detokenizer.Push(token));
        if (match.Stopped)
        {
            Complete(new GeneratedChunk(token, match.Emit, FinishReason.Stop));
            return true;
        }

        _output.Writer.TryWrite(new GeneratedChunk(token, match.Emit, null));
        if (_generated.Count >= request.MaxTokens || Sequence!.Length + 1 > capacity)
        {
            Close(FinishReason.Length);
            return true;
        }

        NextToken = token;
        return false;
    }

    /// <summary>Ends the request, flushing any text held back by the detokeniser or a partial stop-string match.</summary>
    public void Close(FinishReason reason)
    {
        var tail = _stops.Push(_detokenizer.Flush());
        Complete(tail.Stopped
            ? new GeneratedChunk(null, tail.Emit, FinishReason.Stop)
            : new GeneratedChunk(null, tail.Emit + _stops.Flush(), reason));
    }

    public void EndCancelled() => Complete(new GeneratedChunk(null, "", FinishReason.Cancelled));

    public void Fail(Exception error)
    {
        IsFinished = true;
        _output.Writer.TryComplete(error);
    }

    /// <summary>Gives the KV cache slot back; the scheduler compacts the cache afterwards.</summary>
    public void ReleaseSlot()
    {
        Sequence?.Dispose();
        Sequence = null;
    }

    private void Complete(GeneratedChunk last)
    {
        IsFinished = true;
        Finish = last.FinishReason;
        _output.Writer.TryWrite(last);
        _output.Writer.TryComplete();
    }
}
