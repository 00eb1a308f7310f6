using Microsoft.ML.OnnxRuntime;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Models;
using OrleansSlm.Engine.Sampling;

namespace OrleansSlm.Tests.Engine;

/// <summary>The project's attention kernel against ONNX Runtime's GroupQueryAttention on the same weights and cache.</summary>
public sealed class SlotAttentionTests
{
    /// <summary>
    /// Both over a float32 cache, on the tiny model and on variants whose heads take the 64-dimension passes of CPUs
    /// with 512-bit vectors (one pass of a group of three; two passes of two groups of four). The int8 bound is looser
    /// because MatMulNBits rounds its input activations to int8: a last-bit difference from the attention can move
    /// one value across a rounding step.
    /// </summary>
    [Theory]
    [InlineData(ModelPrecision.Fp32, 4, 2, 16, 1e-5)]
    [InlineData(ModelPrecision.Fp32, 6, 2, 64, 1e-5)]
    [InlineData(ModelPrecision.Fp32, 8, 1, 128, 1e-5)]
    [InlineData(ModelPrecision.Int8, 4, 2, 16, 1e-3)]
    public void Slot_attention_gives_group_query_attentions_logits_for_chunked_prefill_and_batched_rows(
        ModelPrecision precision, int heads, int kvHeads, int headDim, double tolerance)
    {
        var description = TinyModel.Description with { Heads = heads, KvHeads = kvHeads, HeadDim = headDim };
        var expected = Trace(Open(description, precision, AttentionKernel.GroupQuery, bfloat16Cache: false));
        var actual = Trace(Open(description, precision, AttentionKernel.Slot, bfloat16Cache: false));

        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var error = ReferenceForwardTests.RelativeError(expected[i], actual[i]);
            Assert.True(error < tolerance, $"logits {i}: relative error {error:E2} is not below {tolerance:E0}");
        }
    }

    /// <summary>
    /// Float32 weights over a bfloat16 cache against the reference pass that rounds its keys and values the same
    /// way: close, and much closer than to the reference that does not round (so the cache really holds bfloat16).
    /// </summary>
    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    public void A_bfloat16_cache_gives_the_reference_logits_with_keys_and_values_rounded_to_bfloat16(int headDim)
    {
        int[] tokens = [1, 17, 300, 45, 9, 250, 77, 3, 400, 12];
        var description = TinyModel.Description with { HeadDim = headDim };
        var weights = TinyModel.Synthetic.CreateWeights();
        var rounded = new ReferenceLlama(description, weights) { BFloat16Cache = true };
        var unrounded = new ReferenceLlama(description, weights);
        using var decoder = Open(description, ModelPrecision.Fp32, AttentionKernel.Slot, bfloat16Cache: true);
        using var sequence = decoder.StartSequence();

        var logits = new List<(int Length, float[] Logits)> { (6, sequence.Append(tokens.AsSpan(0, 6))) };
        for (var length = 7; length <= tokens.Length; length++)
        {
            logits.Add((length, sequence.Append(tokens.AsSpan(length - 1, 1))));
        }

        foreach (var (length, actual) in logits)
        {
            var error = ReferenceForwardTests.RelativeError(rounded.LastLogits(tokens[..length]), actual);
            var unroundedError = ReferenceForwardTests.RelativeError(unrounded.LastLogits(tokens[..length]), actual);
            Assert.True(error < 1e-4, $"length {length}: relative error {error:E2} against the rounded reference");
            Assert.True(unroundedError > 10 * error, $"length {length}: {unroundedError:E2} against the unrounded reference, {error:E2} against the rounded one");
        }
    }

    [Fact]
    public void A_row_longer_than_the_cache_is_an_error_from_the_run_not_a_crash()
    {
        var description = TinyModel.Description;
        const int capacity = 8;
        using var session = SessionFactory.Create(TinyModel.Graph(ModelPrecision.Fp32, AttentionKernel.Slot), TinyModel.Options);
        using var cache = new KvCacheBuffers(description.Layers, 1, description.KvHeads, capacity, description.HeadDim);
        using var binding = session.CreateIoBinding();
        var owned = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(new long[] { 5 }, [1, 1]),
            OrtValue.CreateTensorValueFromMemory(new[] { capacity + 3 }, [1]),
            OrtValue.CreateTensorValueFromMemory(new[] { capacity + 4 }, []),
        };
        binding.BindInput(GraphNames.InputIds, owned[0]);
        binding.BindInput(GraphNames.SeqLensK, owned[1]);
        binding.BindInput(GraphNames.TotalSequenceLength, owned[2]);
        for (var layer = 0; layer < description.Layers; layer++)
        {
            var keys = cache.View(layer, values: false, 0, 1);
            var values = cache.View(layer, values: true, 0, 1);
            owned.AddRange([keys, values]);
            binding.BindInput(GraphNames.PastKey(layer), keys);
            binding.BindInput(GraphNames.PastValue(layer), values);
            binding.BindOutput(GraphNames.PresentKey(layer), keys);
            binding.BindOutput(GraphNames.PresentValue(layer), values);
        }

        binding.BindOutputToDevice(GraphNames.Logits, OrtMemoryInfo.DefaultInstance);
        using var runOptions = new RunOptions();

        var error = Assert.Throws<OnnxRuntimeException>(() => session.RunWithBinding(runOptions, binding));

        Assert.Contains("SlotAttention", error.Message);
        Assert.Contains("above the cache's 8 positions", error.Message);
        owned.ForEach(value => value.Dispose());
    }

    /// <summary>
    /// Three rows of different lengths, one of them prefilled in two chunks, then four batched steps: every logits
    /// vector the decoder returns, in order.
    /// </summary>
    private static List<float[]> Trace(KvSlotDecoder decoder)
    {
        int[][] prompts = [[1, 17, 300, 45, 9, 250, 77], [1, 45], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]];
        var rows = prompts.Select((_, slot) => (IDecoderSequence)decoder.StartSequenceInSlot(slot)).ToArray();
        var trace = new List<float[]>();
        rows[0].Append(prompts[0].AsSpan(0, 4));
        trace.Add(rows[0].Append(prompts[0].AsSpan(4)));
        trace.Add(rows[1].Append(prompts[1]));
        trace.Add(rows[2].Append(prompts[2]));
        var next = trace.Select(logits => Sampler.ArgMax(logits)).ToArray();
        var vocab = decoder.Description.VocabSize;
        var logits = new float[rows.Length * vocab];
        for (var step = 0; step < 4; step++)
        {
            decoder.DecodeBatch(rows, next, logits);
            for (var row = 0; row < rows.Length; row++)
            {
                trace.Add(logits.AsSpan(row * vocab, vocab).ToArray());
                next[row] = Sampler.ArgMax(trace[^1]);
            }
        }

        foreach (var row in rows)
        {
            row.Dispose();
        }

        decoder.Dispose();
        return trace;
    }

    private static KvSlotDecoder Open(ModelDescription description, ModelPrecision precision, AttentionKernel attention, bool bfloat16Cache)
    {
        var graph = KvSlotGraphBuilder.Build(description, TinyModel.Synthetic.CreateWeights(), precision, attention, bfloat16Cache);
        return new KvSlotDecoder(SessionFactory.Create(graph.ToBytes(), TinyModel.Options), description, slots: 3, capacity: 128);
    }
}
