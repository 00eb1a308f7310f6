using System.Runtime.CompilerServices;
using OrleansSlm.Infrastructure.Sampling;
using OrleansSlm.Infrastructure.Text;

namespace OrleansSlm.Infrastructure.Engine;

/// <summary>
/// Generates one request: prefill, then KV-cached decode one token at a time, sampling, detokenising and stop-string
/// matching as it goes. The cancellation token is checked before every model run; a cancelled request ends with a
/// <see cref="FinishReason.Cancelled"/> chunk rather than an exception, and its KV cache slot is freed.
/// </summary>
public sealed class TextGenerator(IDecoder decoder, ITextTokenizer tokenizer)
{
    public async IAsyncEnumerable<GeneratedChunk> GenerateAsync(
        GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Validate(request);
        var sampler = new Sampler(request.Sampling);
        var detokenizer = new StreamingDetokenizer(tokenizer);
        var stops = new StopSequenceMatcher(request.StopSequences ?? []);
        var eos = decoder.Description.EosTokenIds;
        var prompt = request.PromptTokens.ToArray();
        var generated = new List<int>();

        using var sequence = decoder.StartSequence();
        if (cancellationToken.IsCancellationRequested)
        {
            yield return new GeneratedChunk(null, "", FinishReason.Cancelled);
            yield break;
        }

        var logits = await Task.Run(() => sequence.Append(prompt), CancellationToken.None);
        while (true)
        {
            var token = sampler.Sample(logits, prompt, generated);
            if (!request.IgnoreEos && eos.Contains(token))
            {
                yield return Closing(detokenizer, stops, FinishReason.Stop);
                yield break;
            }

            generated.Add(token);
            var match = stops.Push(detokenizer.Push(token));
            if (match.Stopped)
            {
                yield return new GeneratedChunk(token, match.Emit, FinishReason.Stop);
                yield break;
            }

            yield return new GeneratedChunk(token, match.Emit, null);
            if (generated.Count >= request.MaxTokens || sequence.Length + 1 > decoder.MaxSequenceLength)
            {
                yield return Closing(detokenizer, stops, FinishReason.Length);
                yield break;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                yield return new GeneratedChunk(null, "", FinishReason.Cancelled);
                yield break;
            }

            var next = token;
            logits = await Task.Run(() => sequence.Append([next]), CancellationToken.None);
        }
    }

    private static GeneratedChunk Closing(StreamingDetokenizer detokenizer, StopSequenceMatcher stops, FinishReason reason)
    {
        var tail = stops.Push(detokenizer.Flush());
        return tail.Stopped
            ? new GeneratedChunk(null, tail.Emit, FinishReason.Stop)
            : new GeneratedChunk(null, tail.Emit + stops.Flush(), reason);
    }

    private void Validate(GenerationRequest request)
    {
        if (request.PromptTokens.Count == 0)
        {
            throw new ArgumentException("The prompt has no tokens.", nameof(request));
        }

        if (request.MaxTokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.MaxTokens, "max_tokens must be at least 1.");
        }

        if (request.PromptTokens.Count >= decoder.MaxSequenceLength)
        {
            throw new ArgumentException(
                $"The prompt has {request.PromptTokens.Count} tokens; the context holds {decoder.MaxSequenceLength} (Model:MaxContext).",
                nameof(request));
        }

        var vocabulary = decoder.Description.VocabSize;
        if (request.PromptTokens.Any(id => id < 0 || id >= vocabulary))
        {
            throw new ArgumentException($"A prompt token id is outside the vocabulary of {vocabulary}.", nameof(request));
        }
    }
}
