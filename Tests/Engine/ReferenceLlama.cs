using OrleansSlm.Engine.Models;
using static OrleansSlm.Tests.Engine.ReferenceMath;

namespace OrleansSlm.Tests.Engine;

/// <summary>
/// A plain C# forward pass of a Llama-family decoder, written from the model's definition and independent of the
/// graph code: RMSNorm, rotate-half RoPE, grouped-query causal attention, SwiGLU MLP, the head (the embedding when tied). Double precision.
/// </summary>
public sealed class ReferenceLlama(ModelDescription d, IWeightSource weights)
{
    /// <summary>Keys and values are rounded to bfloat16 (nearest, ties to even) as a bfloat16 KV cache stores them.</summary>
    public bool BFloat16Cache { get; init; }

    public float[] LastLogits(IReadOnlyList<int> tokens)
    {
        var n = tokens.Count;
        var hidden = d.HiddenSize;
        var embedding = weights.Read("model.embed_tokens.weight", d.VocabSize, hidden);
        var x = new double[n][];
        for (var t = 0; t < n; t++)
        {
            x[t] = new double[hidden];
            for (var i = 0; i < hidden; i++)
            {
                x[t][i] = embedding[tokens[t] * hidden + i];
            }
        }

        for (var layer = 0; layer < d.Layers; layer++)
        {
            string W(string part) => $"model.layers.{layer}.{part}.weight";
            var inputNorm = weights.Read(W("input_layernorm"), hidden);
            var wq = weights.Read(W("self_attn.q_proj"), d.Heads * d.HeadDim, hidden);
            var wk = weights.Read(W("self_attn.k_proj"), d.KvHeads * d.HeadDim, hidden);
            var wv = weights.Read(W("self_attn.v_proj"), d.KvHeads * d.HeadDim, hidden);
            var wo = weights.Read(W("self_attn.o_proj"), hidden, d.Heads * d.HeadDim);
            var postNorm = weights.Read(W("post_attention_layernorm"), hidden);
            var wGate = weights.Read(W("mlp.gate_proj"), d.IntermediateSize, hidden);
            var wUp = weights.Read(W("mlp.up_proj"), d.IntermediateSize, hidden);
            var wDown = weights.Read(W("mlp.down_proj"), hidden, d.IntermediateSize);

            var q = new double[n][];
            var k = new double[n][];
            var v = new double[n][];
            for (var t = 0; t < n; t++)
            {
                var normed = RmsNorm(x[t], inputNorm);
                q[t] = Rope(MatVec(wq, normed, d.Heads * d.HeadDim), d.Heads, t);
                k[t] = Cached(Rope(MatVec(wk, normed, d.KvHeads * d.HeadDim), d.KvHeads, t));
                v[t] = Cached(MatVec(wv, normed, d.KvHeads * d.HeadDim));
            }

            for (var t = 0; t < n; t++)
            {
                var attention = new double[d.Heads * d.HeadDim];
                for (var head = 0; head < d.Heads; head++)
                {
                    var kvHead = head / (d.Heads / d.KvHeads);
                    var scores = new double[t + 1];
                    var max = double.NegativeInfinity;
                    for (var s = 0; s <= t; s++)
                    {
                        var dot = 0.0;
                        for (var i = 0; i < d.HeadDim; i++)
                        {
                            dot += q[t][head * d.HeadDim + i] * k[s][kvHead * d.HeadDim + i];
                        }

                        scores[s] = dot / Math.Sqrt(d.HeadDim);
                        max = Math.Max(max, scores[s]);
                    }

                    var sum = 0.0;
                    for (var s = 0; s <= t; s++)
                    {
                        scores[s] = Math.Exp(scores[s] - max);
                        sum += scores[s];
                    }

                    for (var s = 0; s <= t; s++)
                    {
                        for (var i = 0; i < d.HeadDim; i++)
                        {
                            attention[head * d.HeadDim + i] += scores[s] / sum * v[s][kvHead * d.HeadDim + i];
                        }
                    }
                }

                var projected = MatVec(wo, attention, hidden);
                for (var i = 0; i < hidden; i++)
                {
                    x[t][i] += projected[i];
                }

                var mlpInput = RmsNorm(x[t], postNorm);
                var gate = MatVec(wGate, mlpInput, d.IntermediateSize);
                var up = MatVec(wUp, mlpInput, d.IntermediateSize);
                for (var i = 0; i < gate.Length; i++)
                {
                    gate[i] = gate[i] / (1 + Math.Exp(-gate[i])) * up[i];
                }

                var down = MatVec(wDown, gate, hidden);
                for (var i = 0; i < hidden; i++)
                {
                    x[t][i] += down[i];
                }
            }
        }

        var final = RmsNorm(x[n - 1], weights.Read("model.norm.weight", hidden));
        var output = d.TieWordEmbeddings ? embedding : weights.Read("lm_head.weight", d.VocabSize, hidden);
        var logits = MatVec(output, final, d.VocabSize);
        return logits.Select(value => (float)value).ToArray();
    }

    private double[] RmsNorm(double[] x, float[] weight)
    {
        var meanSquare = x.Sum(value => value * value) / x.Length;
        var inverse = 1 / Math.Sqrt(meanSquare + d.RmsNormEps);
        return x.Select((value, i) => value * inverse * weight[i]).ToArray();
    }

    private double[] Rope(double[] vector, int heads, int position)
    {
        var half = d.HeadDim / 2;
        var rotated = (double[])vector.Clone();
        for (var head = 0; head < heads; head++)
        {
            var offset = head * d.HeadDim;
            for (var i = 0; i < half; i++)
            {
                var angle = position / Math.Pow(d.RopeTheta, 2.0 * i / d.HeadDim);
                var first = vector[offset + i];
                var second = vector[offset + half + i];
                rotated[offset + i] = first * Math.Cos(angle) - second * Math.Sin(angle);
                rotated[offset + half + i] = second * Math.Cos(angle) + first * Math.Sin(angle);
            }
        }

        return rotated;
    }

    private double[] Cached(double[] vector) => BFloat16Cache ? [.. vector.Select(value => (double)ToBFloat16((float)value))] : vector;

    private static float ToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        return BitConverter.UInt32BitsToSingle(((bits + 0x7FFFu + ((bits >> 16) & 1)) >> 16) << 16);
    }
}
