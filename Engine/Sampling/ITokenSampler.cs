namespace OrleansSlm.Engine.Sampling;

/// <summary>Chooses one request's next token from its row of a step's logits.</summary>
public interface ITokenSampler
{
    int Sample(ReadOnlySpan<float> logits, IReadOnlyList<int> promptTokens, IReadOnlyList<int> generatedTokens);
}
