using OrleansSlm.Engine.Models;
using static OrleansSlm.Tests.Engine.ReferenceMath;

namespace OrleansSlm.Tests.Engine;

/// <summary>
/// A plain C# forward pass of a Gemma 3 text decoder, written from the architecture and independent of any graph
/// code, in double precision: embeddings scaled by √hidden; every RMSNorm as <c>x / rms(x) · (1 + w)</c>, four per
/// layer plus q/k norms over each head and the final one; rotate-half RoPE with the local base on sliding layers;
/// positions divided by a linear <c>rope_scaling</c> factor on full layers; scores scaled by <c>query_pre_attn_scalar^-½</c>, soft-capped when set, causal, and on sliding layers limited to
/// the last <c>sliding_window</c> positions (the current one included); a tanh-GeLU gated MLP; tied head, soft-capped
/// when set.
/// </summary>
public sealed class ReferenceGemma(ModelDescription d, IWeightSource weights)
{
    /// <summary>
    /// The factor embeddings are multiplied by: √hidden rounded to the checkpoint's dtype, as Hugging Face's
    /// implementation casts it (bfloat16 for the published weights: √640 = 25.298 becomes 25.25).
    /// </summary>
    public double EmbeddingScale { get; init; } = Math.Sqrt(d.HiddenSize);

    /// <summary>The logits at every position of <paramref name="tokens"/>.</summary>
    public float[][] Logits(IReadOnlyList<int> tokens)
    {
        var n = tokens.Count;
        var hidden = d.HiddenSize;
        var embedding = weights.Read("model.embed_tokens.weight", d.VocabSize, hidden);
        var x = new double[n][];
        for (var t = 0; t < n; t++)
        {
            x[t] = [.. Enumerable.Range(0, hidden).Select(i => embedding[tokens[t] * hidden + i] * EmbeddingScale)];
        }

        for (var layer = 0; layer < d.Layers; layer++)
        {
            Layer(layer, x);
        }

        var final = weights.Read("model.norm.weight", hidden);
        return [.. x.Select(state =>
        {
            var logits = MatVec(embedding, RmsNorm(state, final), d.VocabSize);
            return logits.Select(value => (float)SoftCap(value, d.FinalLogitSoftcap)).ToArray();
        })];
    }

    private void Layer(int layer, double[][] x)
    {
        string W(string part) => $"model.layers.{layer}.{part}.weight";
        var (n, hidden, headDim) = (x.Length, d.HiddenSize, d.HeadDim);
        var wq = weights.Read(W("self_attn.q_proj"), d.Heads * headDim, hidden);
        var wk = weights.Read(W("self_attn.k_proj"), d.KvHeads * headDim, hidden);
        var wv = weights.Read(W("self_attn.v_proj"), d.KvHeads * headDim, hidden);
        var wo = weights.Read(W("self_attn.o_proj"), hidden, d.Heads * headDim);
        var qNorm = weights.Read(W("self_attn.q_norm"), headDim);
        var kNorm = weights.Read(W("self_attn.k_norm"), headDim);
        var sliding = d.IsSlidingLayer(layer);
        var theta = sliding ? d.RopeLocalTheta ?? d.RopeTheta : d.RopeTheta;
        // Linear rope_scaling stretches the positions of full-attention layers only.
        var positionScale = !sliding && d.RopeScalingType == "linear" ? 1.0 / d.RopeScalingFactor : 1.0;

        var q = new double[n][];
        var k = new double[n][];
        var v = new double[n][];
        for (var t = 0; t < n; t++)
        {
            var normed = RmsNorm(x[t], weights.Read(W("input_layernorm"), hidden));
            q[t] = Rope(PerHeadNorm(MatVec(wq, normed, d.Heads * headDim), qNorm), d.Heads, t * positionScale, theta);
            k[t] = Rope(PerHeadNorm(MatVec(wk, normed, d.KvHeads * headDim), kNorm), d.KvHeads, t * positionScale, theta);
            v[t] = MatVec(wv, normed, d.KvHeads * headDim);
        }

        for (var t = 0; t < n; t++)
        {
            // Sliding layers see the window's last positions, this one included.
            var first = sliding && d.SlidingWindow is { } window ? Math.Max(0, t - window + 1) : 0;
            var attention = new double[d.Heads * headDim];
            for (var head = 0; head < d.Heads; head++)
            {
                var kvHead = head / d.QueriesPerKvHead;
                var scores = new double[t + 1 - first];
                for (var s = first; s <= t; s++)
                {
                    var dot = 0.0;
                    for (var i = 0; i < headDim; i++)
                    {
                        dot += q[t][head * headDim + i] * k[s][kvHead * headDim + i];
                    }

                    scores[s - first] = SoftCap(dot * d.AttentionScale, d.AttentionLogitSoftcap);
                }

                var max = scores.Max();
                var weightsOfPositions = scores.Select(score => Math.Exp(score - max)).ToArray();
                var sum = weightsOfPositions.Sum();
                for (var s = first; s <= t; s++)
                {
                    for (var i = 0; i < headDim; i++)
                    {
                        attention[head * headDim + i] += weightsOfPositions[s - first] / sum * v[s][kvHead * headDim + i];
                    }
                }
            }

            var attended = RmsNorm(MatVec(wo, attention, hidden), weights.Read(W("post_attention_layernorm"), hidden));
            for (var i = 0; i < hidden; i++)
            {
                x[t][i] += attended[i];
            }
        }

        var wGate = weights.Read(W("mlp.gate_proj"), d.IntermediateSize, hidden);
        var wUp = weights.Read(W("mlp.up_proj"), d.IntermediateSize, hidden);
        var wDown = weights.Read(W("mlp.down_proj"), hidden, d.IntermediateSize);
        for (var t = 0; t < n; t++)
        {
            var mlpInput = RmsNorm(x[t], weights.Read(W("pre_feedforward_layernorm"), hidden));
            var gate = MatVec(wGate, mlpInput, d.IntermediateSize);
            var up = MatVec(wUp, mlpInput, d.IntermediateSize);
            var product = gate.Select((value, i) => GeluTanh(value) * up[i]).ToArray();
            var down = RmsNorm(MatVec(wDown, product, hidden), weights.Read(W("post_feedforward_layernorm"), hidden));
            for (var i = 0; i < hidden; i++)
            {
                x[t][i] += down[i];
            }
        }
    }

    private double[] RmsNorm(double[] x, float[] weight)
    {
        var inverse = 1 / Math.Sqrt(x.Sum(value => value * value) / x.Length + d.RmsNormEps);
        return [.. x.Select((value, i) => value * inverse * (1 + weight[i]))];
    }

    private double[] PerHeadNorm(double[] heads, float[] weight) =>
        [.. heads.Chunk(d.HeadDim).SelectMany(head => RmsNorm(head, weight))];

    private double[] Rope(double[] vector, int heads, double position, double theta)
    {
        var half = d.HeadDim / 2;
        var rotated = (double[])vector.Clone();
        for (var head = 0; head < heads; head++)
        {
            var offset = head * d.HeadDim;
            for (var i = 0; i < half; i++)
            {
                var angle = position / Math.Pow(theta, 2.0 * i / d.HeadDim);
                var (first, second) = (vector[offset + i], vector[offset + half + i]);
                rotated[offset + i] = first * Math.Cos(angle) - second * Math.Sin(angle);
                rotated[offset + half + i] = second * Math.Cos(angle) + first * Math.Sin(angle);
            }
        }

        return rotated;
    }

    private static double GeluTanh(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

    private static double SoftCap(double value, float? cap) => cap is { } c ? c * Math.Tanh(value / c) : value;
}
