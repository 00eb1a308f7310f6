using System.Diagnostics;
using System.Threading.Channels;
using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Sampling;
using OrleansSlm.Engine.Text;

namespace OrleansSlm.Engine.Scheduling;

/// <summary>
/// One request inside the scheduler: its prompt and how much of it the KV cache holds, its cache sequence once
/// admitted, and its own sampler, detokeniser and stop-string matcher. Only the scheduler's thread touches it, except
/// <see cref="Cancel"/>.
/// </summary>
internal sealed class ScheduledRequest(GenerationRequest request, ITokenSampler sampler, ITextTokenizer tokenizer, IReadOnlyCollection<int> eosTokenIds)
{
    private readonly Channel<GeneratedChunk> _output = Channel.CreateUnbounded<GeneratedChunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly int[] _prompt = [.. request.PromptTokens];
    private readonly List<int> _generated = [];
    private readonly StreamingDetokenizer _detokenizer = new(tokenizer);
    private readonly StopSequenceMatcher _stops = new(request.StopSequences ?? []);
    private readonly long _arrived = Stopwatch.GetTimestamp();
    private long _lastToken;
    private volatile bool _cancelled;
    private bool _retired;

    public ChannelReader<GeneratedChunk> Output => _output.Reader;

    /// <summary>The request's KV cache sequence: set when the runner admits it, released when it retires.</summary>
    public IDecoderSequence? Sequence { get; private set; }

    /// <summary>Tokens whose keys and values the cache holds: prompt tokens prefilled, then each token fed to a decode step.</summary>
    public int CachedTokens { get; private set; }

    public int RemainingPrompt => Math.Max(0, _prompt.Length - CachedTokens);

    public bool IsPrefilled => CachedTokens >= _prompt.Length;

    public bool IsCancelled => _cancelled;

    /// <summary>The token the next decode step feeds (the last one sampled).</summary>
    public int NextToken { get; private set; }

    public bool IsFinished { get; private set; }

    /// <summary>Why the request ended; null while it runs.</summary>
    public FinishReason? Finish { get; private set; }

    public TimeSpan SinceArrival => Stopwatch.GetElapsedTime(_arrived);

    public void Cancel() => _cancelled = true;

    public void Admit(IDecoderSequence sequence) => Sequence = sequence;

    /// <summary>True the first time only: a request gives its slot back and is counted as finished once, whichever path ends it.</summary>
    public bool TryRetire()
    {
        if (_retired)
        {
            return false;
        }

        _retired = true;
        ReleaseSlot();
        return true;
    }

    /// <summary>The next <paramref name="count"/> prompt tokens the cache does not hold yet.</summary>
    public ReadOnlySpan<int> PromptAfterCache(int count) => _prompt.AsSpan(CachedTokens, count);

    /// <summary>Records that a model run put <paramref name="tokens"/> more tokens into the cache.</summary>
    public void Advance(int tokens) => CachedTokens += tokens;

    /// <summary>
    /// Samples the next token from its logits and streams what it makes visible; true when the request is done. It
    /// throws only if sampling or detokenising does; the update step then fails this request alone.
    /// </summary>
    public bool Accept(ReadOnlySpan<float> logits, int capacity, InferenceMetrics metrics)
    {
        var token = sampler.Sample(logits, _prompt, _generated);
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
            Complete(Chunk(token, match.Emit, FinishReason.Stop));
            return true;
        }

        _output.Writer.TryWrite(Chunk(token, match.Emit, null));
        if (_generated.Count >= request.MaxTokens || CachedTokens + 1 > capacity)
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
            ? Chunk(null, tail.Emit, FinishReason.Stop)
            : Chunk(null, tail.Emit + _stops.Flush(), reason));
    }

    public void EndCancelled() => Complete(Chunk(null, "", FinishReason.Cancelled));

    /// <summary>Ends the request with an error: its reader sees <paramref name="error"/> after the chunks already written.</summary>
    public void Fail(Exception error)
    {
        IsFinished = true;
        Finish = FinishReason.Error;
        _output.Writer.TryComplete(error);
    }

    /// <summary>Gives the KV cache slot back; the runner compacts the cache afterwards.</summary>
    private void ReleaseSlot()
    {
        Sequence?.Dispose();
        Sequence = null;
    }

    private GeneratedChunk Chunk(int? token, string text, FinishReason? finish) => new(token, text, finish, _prompt.Length, _generated.Count);

    private void Complete(GeneratedChunk last)
    {
        IsFinished = true;
        Finish = last.FinishReason;
        _output.Writer.TryWrite(last);
        _output.Writer.TryComplete();
    }
}
