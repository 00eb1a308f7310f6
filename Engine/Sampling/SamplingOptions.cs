namespace OrleansSlm.Engine.Sampling;

/// <summary>How the next token is chosen from the logits. <see cref="Temperature"/> 0 means greedy (argmax).</summary>
public sealed record SamplingOptions
{
    /// <summary>
    /// Temperatures below this are greedy, as in vLLM: dividing by a smaller one overflows the scaled logits (a
    /// subnormal temperature makes every weight infinite or undefined), and the distribution is the argmax anyway.
    /// </summary>
    public const float GreedyBelow = 1e-5f;

    public float Temperature { get; init; } = 1;

    /// <summary>Nucleus sampling: keep the most likely tokens whose probabilities add up to this; 1 keeps all.</summary>
    public float TopP { get; init; } = 1;

    /// <summary>Keep only the k most likely tokens; 0 keeps all.</summary>
    public int TopK { get; init; }

    /// <summary>Drop tokens less likely than this fraction of the most likely token's probability; 0 keeps all.</summary>
    public float MinP { get; init; }

    /// <summary>OpenAI style: subtracted once from the logit of every token already generated.</summary>
    public float PresencePenalty { get; init; }

    /// <summary>OpenAI style: subtracted from a generated token's logit once per time it was generated.</summary>
    public float FrequencyPenalty { get; init; }

    /// <summary>Hugging Face style, over prompt and generated tokens: positive logits are divided by it, negative ones multiplied; 1 is off.</summary>
    public float RepetitionPenalty { get; init; } = 1;

    /// <summary>Makes sampling reproducible; a random seed when null.</summary>
    public ulong? Seed { get; init; }

    /// <summary>The same settings with a temperature below <see cref="GreedyBelow"/> made greedy.</summary>
    public SamplingOptions Normalized() => Temperature is > 0 and < GreedyBelow ? this with { Temperature = 0 } : this;

    /// <summary>Throws a clear <see cref="ArgumentException"/> for values outside their ranges.</summary>
    public void Validate()
    {
        Require(float.IsFinite(Temperature) && Temperature >= 0, $"Temperature must be 0 (greedy) or positive; got {Temperature}.");
        Require(TopP is > 0 and <= 1, $"TopP must be in (0, 1]; got {TopP}.");
        Require(TopK >= 0, $"TopK must be 0 (off) or positive; got {TopK}.");
        Require(MinP is >= 0 and <= 1, $"MinP must be in [0, 1]; got {MinP}.");
        Require(float.IsFinite(PresencePenalty), $"PresencePenalty must be a finite number; got {PresencePenalty}.");
        Require(float.IsFinite(FrequencyPenalty), $"FrequencyPenalty must be a finite number; got {FrequencyPenalty}.");
        Require(float.IsFinite(RepetitionPenalty) && RepetitionPenalty > 0, $"RepetitionPenalty must be positive; got {RepetitionPenalty}.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
