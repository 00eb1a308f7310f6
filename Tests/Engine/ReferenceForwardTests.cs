using OrleansSlm.Engine.Configuration;

namespace OrleansSlm.Tests.Engine;

public sealed class ReferenceForwardTests
{
    private static readonly int[] Tokens = [1, 17, 300, 45, 9, 250, 77, 3, 400, 12];

    [Fact]
    public void Builder_fp32_logits_match_the_reference_forward_pass()
    {
        var reference = new ReferenceLlama(TinyModel.Description, TinyModel.Synthetic.CreateWeights());
        using var decoder = TinyModel.OpenDecoder(ModelPrecision.Fp32);
        using var sequence = decoder.StartSequence();

        var prefill = sequence.Append(Tokens.AsSpan(0, 6));
        AssertClose(reference.LastLogits(Tokens[..6]), prefill, 1e-4);
        for (var length = 7; length <= Tokens.Length; length++)
        {
            var step = sequence.Append(Tokens.AsSpan(length - 1, 1));
            AssertClose(reference.LastLogits(Tokens[..length]), step, 1e-4);
        }
    }

    /// <summary>Relative error: the norm of the difference over the norm of the reference.</summary>
    public static double RelativeError(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double difference = 0, norm = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            difference += Math.Pow(expected[i] - actual[i], 2);
            norm += Math.Pow(expected[i], 2);
        }

        return Math.Sqrt(difference / norm);
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        var error = RelativeError(expected, actual);
        Assert.True(error < tolerance, $"relative error {error:E3} is not below {tolerance:E0}");
    }
}
