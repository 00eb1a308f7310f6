using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Sampling;

namespace OrleansSlm.Tests.Engine;

/// <summary>What continuous batching relies on: rows of different lengths share one decode step.</summary>
public sealed class BatchedDecodeTests
{
    [Theory]
    [InlineData(ModelPrecision.Fp32)]
    [InlineData(ModelPrecision.Int4)]
    public void Rows_of_different_lengths_in_one_step_give_each_row_its_own_logits(ModelPrecision precision)
    {
        int[][] prompts = [[1, 17, 300], [1, 45, 9, 250, 77, 3, 400, 12, 5], [1, 2, 3, 4, 5, 6]];
        var expected = prompts.Select(prompt => SingleRowSteps(precision, prompt, 4)).ToArray();

        using var decoder = TinyModel.OpenDecoder(precision, slots: 3);
        var rows = prompts.Select((prompt, slot) => (IDecoderSequence)decoder.StartSequenceInSlot(slot)).ToArray();
        var next = rows.Select((row, i) => Sampler.ArgMax(row.Append(prompts[i]))).ToArray();
        var logits = new float[rows.Length * TinyModel.Description.VocabSize];
        for (var step = 0; step < 4; step++)
        {
            decoder.DecodeBatch(rows, next, logits);
            for (var row = 0; row < rows.Length; row++)
            {
                var rowLogits = logits.AsSpan(row * TinyModel.Description.VocabSize, TinyModel.Description.VocabSize).ToArray();
                var error = ReferenceForwardTests.RelativeError(expected[row][step], rowLogits);
                Assert.True(error < 1e-5, $"row {row} step {step}: relative error {error:E2}");
                next[row] = Sampler.ArgMax(rowLogits);
            }
        }

        Assert.Equal([prompts[0].Length + 4, prompts[1].Length + 4, prompts[2].Length + 4], rows.Select(row => row.Length));
        foreach (var row in rows)
        {
            row.Dispose();
        }
    }

    /// <summary>Int4 graphs keep a bfloat16 cache on CPU: compaction moves 2-byte elements there, 4-byte ones in fp32.</summary>
    [Theory]
    [InlineData(ModelPrecision.Fp32)]
    [InlineData(ModelPrecision.Int4)]
    public void Rows_in_scattered_slots_and_any_order_get_their_own_logits_and_compaction_keeps_their_caches(ModelPrecision precision)
    {
        int[][] prompts = [[1, 17, 300], [1, 45, 9, 250, 77]];
        var expected = prompts.Select(prompt => SingleRowSteps(precision, prompt, 2)).ToArray();
        using var decoder = TinyModel.OpenDecoder(precision, slots: 3);
        var first = (IDecoderSequence)decoder.StartSequenceInSlot(0);
        var second = (IDecoderSequence)decoder.StartSequenceInSlot(2);
        IDecoderSequence[] rows = [second, first];
        var next = new[] { Sampler.ArgMax(second.Append(prompts[1])), Sampler.ArgMax(first.Append(prompts[0])) };
        var vocab = TinyModel.Description.VocabSize;

        var scattered = new float[2 * vocab];
        decoder.DecodeBatch(rows, next, scattered);
        decoder.Compact();
        next = [Sampler.ArgMax(scattered.AsSpan(0, vocab)), Sampler.ArgMax(scattered.AsSpan(vocab, vocab))];
        var compacted = new float[2 * vocab];
        decoder.DecodeBatch(rows, next, compacted);

        Assert.Equal(1, ((KvSlotSequence)second).Slot);
        Assert.True(ReferenceForwardTests.RelativeError(expected[1][0], scattered[..vocab]) < 1e-5);
        Assert.True(ReferenceForwardTests.RelativeError(expected[0][0], scattered[vocab..]) < 1e-5);
        Assert.True(ReferenceForwardTests.RelativeError(expected[1][1], compacted[..vocab]) < 1e-5);
        Assert.True(ReferenceForwardTests.RelativeError(expected[0][1], compacted[vocab..]) < 1e-5);
        first.Dispose();
        second.Dispose();
    }

    [Fact]
    public void A_released_slot_is_reused_and_a_full_cache_is_a_clear_error()
    {
        using var decoder = TinyModel.OpenDecoder(ModelPrecision.Fp32, slots: 1, capacity: 8);
        using (var first = decoder.StartSequence())
        {
            Assert.Contains("in use", Assert.Throws<InvalidOperationException>(() => decoder.StartSequence()).Message);
            var tooLong = Assert.Throws<InvalidOperationException>(() => first.Append(new int[9]));
            Assert.Contains("Model:MaxContext", tooLong.Message);
        }

        using var second = decoder.StartSequence();
        Assert.Equal(0, second.Length);
    }

    [Fact]
    public void A_decode_step_without_one_token_and_room_for_logits_per_row_is_rejected()
    {
        using var decoder = TinyModel.OpenDecoder(ModelPrecision.Fp32, slots: 2);
        using var first = decoder.StartSequence();
        using var second = decoder.StartSequence();
        first.Append([1, 2]);
        second.Append([1, 3]);
        IDecoderSequence[] rows = [first, second];
        var vocab = TinyModel.Description.VocabSize;

        Assert.Throws<ArgumentException>(() => decoder.DecodeBatch(rows, [5], new float[2 * vocab]));
        Assert.Throws<ArgumentException>(() => decoder.DecodeBatch(rows, [5, 6], new float[(2 * vocab) - 1]));
        Assert.Equal([2, 2], rows.Select(row => row.Length));
    }

    private static List<float[]> SingleRowSteps(ModelPrecision precision, int[] prompt, int steps)
    {
        using var decoder = TinyModel.OpenDecoder(precision, slots: 1);
        using var sequence = decoder.StartSequence();
        var results = new List<float[]>();
        var next = Sampler.ArgMax(sequence.Append(prompt));
        for (var step = 0; step < steps; step++)
        {
            var logits = sequence.Append([next]);
            results.Add(logits);
            next = Sampler.ArgMax(logits);
        }

        return results;
    }
}
