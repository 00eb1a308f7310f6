using System.Numerics.Tensors;

namespace OrleansSlm.Engine.Sampling;

/// <summary>
/// Picks the next token of one request: penalties, then greedy or temperature with top-k, top-p and min-p, in
/// Hugging Face's order. Holds a seeded generator and scratch buffers reused from token to token, so one instance
/// serves one request and is not thread-safe.
/// </summary>
public sealed class Sampler : ITokenSampler
{
    private const int OneBits = 0x3F800000;
    private const int BucketShift = 19;

    private readonly SamplingOptions _options;
    private readonly SplitMix64 _random;
    private readonly PriorityQueue<int, float> _heaviest = new();
    private readonly double[] _bucketMass = new double[(OneBits >> BucketShift) + 1];
    private float[] _scores = [];
    private int[] _candidates = [];
    private int[] _generatedCounts = [];
    private int[] _penalisedStamp = [];
    private int _stamp;

    public Sampler(SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Normalized();
        _random = new SplitMix64(options.Seed ?? (ulong)Random.Shared.NextInt64());
    }

    public int Sample(ReadOnlySpan<float> logits, IReadOnlyList<int> promptTokens, IReadOnlyList<int> generatedTokens)
    {
        if (logits.IsEmpty)
        {
            throw new ArgumentException("The logits are empty.", nameof(logits));
        }

        // Greedy decoding without penalties reads the logits in place: every decode step samples each of its rows,
        // so a copy of the whole vocabulary per row would be a cost that grows with the batch.
        if (_options.Temperature == 0 && !HasPenalties)
        {
            return ArgMax(logits);
        }

        EnsureBuffers(logits.Length);
        logits.CopyTo(_scores);
        ApplyPenalties(logits.Length, promptTokens, generatedTokens);
        if (_options.Temperature == 0)
        {
            return ArgMax(_scores.AsSpan(0, logits.Length));
        }

        DiscardUndefined(logits.Length);
        return SampleFromDistribution(logits.Length);
    }

    private bool HasPenalties => _options.RepetitionPenalty != 1 || _options.PresencePenalty != 0 || _options.FrequencyPenalty != 0;

    private bool HasFilters => _options.TopK > 0 || _options.TopP < 1 || _options.MinP > 0;

    /// <summary>The greedy choice: the first index of the largest logit; an undefined (NaN) logit never wins, and all of them undefined gives 0.</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        // The vectorised search returns the first NaN when there is one; only then is the scan that skips them needed.
        var best = TensorPrimitives.IndexOfMax(values);
        return float.IsNaN(values[best]) ? ArgMaxOfDefined(values) : best;
    }

    private static int ArgMaxOfDefined(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best] || (float.IsNaN(values[best]) && !float.IsNaN(values[i])))
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>An undefined logit (NaN, from a broken model) is a token that cannot be chosen: −∞.</summary>
    private void DiscardUndefined(int vocabularySize)
    {
        // One vectorised pass finds out (the minimum of a span holding a NaN is NaN); the rewrite runs only then.
        var scores = _scores.AsSpan(0, vocabularySize);
        if (float.IsNaN(TensorPrimitives.Min(scores)))
        {
            foreach (ref var score in scores)
            {
                if (float.IsNaN(score))
                {
                    score = float.NegativeInfinity;
                }
            }
        }
    }

    private void EnsureBuffers(int vocabularySize)
    {
        if (_scores.Length == vocabularySize)
        {
            return;
        }

        _scores = new float[vocabularySize];
        _candidates = new int[vocabularySize];
        _generatedCounts = new int[vocabularySize];
        _penalisedStamp = new int[vocabularySize];
    }

    private void ApplyPenalties(int vocabularySize, IReadOnlyList<int> promptTokens, IReadOnlyList<int> generatedTokens)
    {
        if (_options.RepetitionPenalty != 1)
        {
            // A stamp per call marks each token once without clearing the whole array.
            _stamp++;
            PenaliseRepeats(vocabularySize, promptTokens);
            PenaliseRepeats(vocabularySize, generatedTokens);
        }

        if (_options.PresencePenalty == 0 && _options.FrequencyPenalty == 0)
        {
            return;
        }

        foreach (var token in generatedTokens)
        {
            _generatedCounts[CheckedId(token, vocabularySize)]++;
        }

        foreach (var token in generatedTokens)
        {
            var count = _generatedCounts[token];
            if (count == 0)
            {
                continue;
            }

            _scores[token] -= (count * _options.FrequencyPenalty) + _options.PresencePenalty;
            _generatedCounts[token] = 0;
        }
    }

    private void PenaliseRepeats(int vocabularySize, IReadOnlyList<int> tokens)
    {
        foreach (var token in tokens)
        {
            if (_penalisedStamp[CheckedId(token, vocabularySize)] == _stamp)
            {
                continue;
            }

            _penalisedStamp[token] = _stamp;
            var score = _scores[token];
            _scores[token] = score < 0 ? score * _options.RepetitionPenalty : score / _options.RepetitionPenalty;
        }
    }

    private static int CheckedId(int token, int vocabularySize) =>
        (uint)token < (uint)vocabularySize
            ? token
            : throw new ArgumentOutOfRangeException(nameof(token), token, $"Token id {token} is outside the vocabulary of {vocabularySize} logits.");

    private int SampleFromDistribution(int vocabularySize)
    {
        // Unnormalised probabilities, exp((score − max) / T), in vectorised passes: the most likely token has weight 1.
        var weights = _scores.AsSpan(0, vocabularySize);
        var top = ArgMax(weights);
        if (!float.IsFinite(weights[top]))
        {
            // +∞ outweighs every finite logit (and no two infinities can be weighed); all −∞ leaves no choice either.
            return top;
        }

        TensorPrimitives.Subtract(weights, weights[top], weights);
        TensorPrimitives.Multiply(weights, 1 / _options.Temperature, weights);
        TensorPrimitives.Exp(weights, weights);
        double total = TensorPrimitives.Sum(weights);
        if (!HasFilters)
        {
            return DrawFromAll(weights, total, top);
        }

        var count = KeepTopK(vocabularySize, ref total);
        count = KeepTopP(count, total);
        count = KeepMinP(count);
        return Draw(count, top);
    }

    /// <summary>
    /// The k heaviest tokens through a min-heap of k: one pass over the vocabulary in which almost every token loses
    /// a single comparison with the lightest kept, instead of ordering the vocabulary.
    /// </summary>
    private int KeepTopK(int vocabularySize, ref double total)
    {
        if (_options.TopK <= 0 || _options.TopK >= vocabularySize)
        {
            for (var i = 0; i < vocabularySize; i++)
            {
                _candidates[i] = i;
            }

            return vocabularySize;
        }

        _heaviest.Clear();
        for (var i = 0; i < _options.TopK; i++)
        {
            _heaviest.Enqueue(i, _scores[i]);
        }

        _heaviest.TryPeek(out _, out var lightest);
        for (var i = _options.TopK; i < vocabularySize; i++)
        {
            if (_scores[i] > lightest)
            {
                _heaviest.EnqueueDequeue(i, _scores[i]);
                _heaviest.TryPeek(out _, out lightest);
            }
        }

        var kept = 0;
        total = 0;
        foreach (var (token, weight) in _heaviest.UnorderedItems)
        {
            _candidates[kept++] = token;
            total += weight;
        }

        return kept;
    }

    /// <summary>
    /// Moves to the front of the first <paramref name="count"/> candidates the fewest heaviest ones whose weights sum
    /// to <paramref name="total"/> × top_p, and returns how many: the set that sorting by weight and cutting the
    /// prefix would keep. Sorting is what made top-p slow: a small model's distribution can be flat enough that the
    /// nucleus holds most of a 49k vocabulary, for every row of every step. Instead one pass sums the weights into
    /// buckets by magnitude, the buckets give the one where the cut falls, two more passes move the tokens of the
    /// heavier buckets and then of that boundary bucket to the front, and a quickselect (drawing needs no order) cuts
    /// the boundary bucket exactly.
    /// </summary>
    private int KeepTopP(int count, double total)
    {
        if (_options.TopP >= 1)
        {
            return count;
        }

        var target = _options.TopP * total;
        Array.Clear(_bucketMass);
        for (var i = 0; i < count; i++)
        {
            var weight = _scores[_candidates[i]];
            _bucketMass[Bucket(weight)] += weight;
        }

        var boundary = 0;
        var heavierMass = 0.0;
        while (boundary < _bucketMass.Length - 1 && heavierMass + _bucketMass[boundary] < target)
        {
            heavierMass += _bucketMass[boundary++];
        }

        var heavierEnd = MoveHeavierToFront(0, count, BucketTop(boundary));
        var boundaryEnd = MoveHeavierToFront(heavierEnd, count, BucketTop(boundary + 1));
        return Math.Max(SelectByMass(heavierEnd, boundaryEnd, target - heavierMass), 1);
    }

    /// <summary>
    /// A weight's bucket, by magnitude: weights are in [0, 1], and read downward from 1.0 their float bits fall in
    /// step with their logarithm; the top bits give 16 buckets per halving.
    /// </summary>
    private static int Bucket(float weight) => Math.Max(0, OneBits - BitConverter.SingleToInt32Bits(weight)) >> BucketShift;

    /// <summary>The largest weight of a bucket, which the buckets before it all exceed.</summary>
    private static float BucketTop(int bucket) =>
        OneBits - (bucket << BucketShift) is var bits and >= 0 ? BitConverter.Int32BitsToSingle(bits) : -1f;

    private int MoveHeavierToFront(int start, int end, float than)
    {
        var moved = start;
        for (var i = start; i < end; i++)
        {
            var token = _candidates[i];
            if (_scores[token] > than)
            {
                _candidates[i] = _candidates[moved];
                _candidates[moved++] = token;
            }
        }

        return moved;
    }

    /// <summary>Quickselect by weight among candidates [<paramref name="start"/>, <paramref name="end"/>): keeps the fewest heaviest that reach <paramref name="remaining"/>.</summary>
    private int SelectByMass(int start, int end, double remaining)
    {
        var kept = start;
        while (kept < end && remaining > 0)
        {
            var pivot = MedianOfThree(_scores[_candidates[kept]], _scores[_candidates[kept + ((end - kept) / 2)]], _scores[_candidates[end - 1]]);
            var (heavierEnd, equalEnd) = Partition(kept, end, pivot);
            var heavier = Mass(kept, heavierEnd);
            if (heavier >= remaining)
            {
                end = heavierEnd;
                continue;
            }

            remaining -= heavier;
            var equalCount = equalEnd - heavierEnd;
            if ((double)pivot * equalCount >= remaining)
            {
                return heavierEnd + Math.Clamp((int)Math.Ceiling(remaining / pivot), 1, equalCount);
            }

            remaining -= (double)pivot * equalCount;
            kept = equalEnd;
        }

        return kept;
    }

    /// <summary>
    /// Three-way partition of candidates [<paramref name="start"/>, <paramref name="end"/>) by weight: heavier than
    /// <paramref name="pivot"/>, then equal, then lighter. Returns where the equal and the lighter ones begin.
    /// </summary>
    private (int HeavierEnd, int EqualEnd) Partition(int start, int end, float pivot)
    {
        var heavierEnd = start;
        var next = start;
        var lighterStart = end;
        while (next < lighterStart)
        {
            var weight = _scores[_candidates[next]];
            if (weight > pivot)
            {
                (_candidates[heavierEnd], _candidates[next]) = (_candidates[next], _candidates[heavierEnd]);
                heavierEnd++;
                next++;
            }
            else if (weight < pivot)
            {
                lighterStart--;
                (_candidates[lighterStart], _candidates[next]) = (_candidates[next], _candidates[lighterStart]);
            }
            else
            {
                next++;
            }
        }

        return (heavierEnd, lighterStart);
    }

    private double Mass(int start, int end)
    {
        var mass = 0.0;
        for (var i = start; i < end; i++)
        {
            mass += _scores[_candidates[i]];
        }

        return mass;
    }

    private static float MedianOfThree(float a, float b, float c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));

    private int KeepMinP(int count)
    {
        if (_options.MinP <= 0)
        {
            return count;
        }

        // Weights are relative to the most likely token (weight 1), so min-p is a plain threshold.
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            if (_scores[_candidates[i]] >= _options.MinP)
            {
                _candidates[kept++] = _candidates[i];
            }
        }

        return kept;
    }

    /// <summary>Draws from the whole vocabulary, reading the weights in place instead of through the candidate list.</summary>
    private int DrawFromAll(ReadOnlySpan<float> weights, double total, int top)
    {
        var point = _random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            point -= weights[i];
            if (point < 0)
            {
                return i;
            }
        }

        // Reached only when the vectorised sum and this scan round differently, by a few parts in ten million.
        return top;
    }

    private int Draw(int count, int top)
    {
        if (count == 0)
        {
            // Reached only if rounding took the best token out of the filters' cut: it is always a candidate.
            return top;
        }

        var mass = 0.0;
        for (var i = 0; i < count; i++)
        {
            mass += _scores[_candidates[i]];
        }

        var point = _random.NextDouble() * mass;
        for (var i = 0; i < count; i++)
        {
            point -= _scores[_candidates[i]];
            if (point < 0)
            {
                return _candidates[i];
            }
        }

        return _candidates[count - 1];
    }
}
