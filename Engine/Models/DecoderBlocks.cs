using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Onnx;

namespace OrleansSlm.Engine.Models;

/// <summary>
/// The parts every decoder graph shares: embedding (scaled for Gemma), RMSNorm (with Gemma's 1 + w scale), the gated
/// MLP (SiLU or tanh-GeLU), RoPE tables and the output head (soft-capped where the config says). With
/// <paramref name="standardOpsOnly"/> the norm is written as the plain ONNX chain an exporter emits (ONNX Runtime
/// fuses it back into one kernel) instead of com.microsoft SimplifiedLayerNormalization.
/// </summary>
public sealed class DecoderBlocks(OnnxModel model, ModelDescription d, DecoderWeights weights, ModelPrecision precision, bool standardOpsOnly = false)
{
    /// <summary>The tied embedding of an int8/int4 graph, quantised once for the lookup and the head.</summary>
    private QuantizedWeight? _sharedEmbedding;

    public LinearLayers Linear { get; } = new(model, precision);

    /// <summary>
    /// Looks up the rows of <paramref name="inputIds"/>. A tied int8/int4 graph stores the embedding once, quantised:
    /// GatherBlockQuantized reads the rows that the head's MatMulNBits multiplies with, so no float32 table is kept
    /// (SmolLM2-135M: int4 80 MB instead of 193 MB, int8 153 MB instead of 266 MB; decoding measured as fast). A hidden
    /// size that is no multiple of the block gathers the zero-padded last block and slices it off.
    /// </summary>
    public string Embed(string inputIds, float[] embedding)
    {
        if (d.TieWordEmbeddings && precision != ModelPrecision.Fp32)
        {
            var shared = Linear.Quantize(LlamaWeightNames.Embedding, embedding, d.VocabSize, d.HiddenSize);
            _sharedEmbedding = shared;
            var blockScales = model.Node("Reshape", [shared.Scales, model.Constant("embedding_scales_shape", d.VocabSize, shared.BlocksPerRow, 1)]);
            var rows = model.ContribNode("GatherBlockQuantized", [shared.Packed, inputIds, blockScales],
                OnnxAttribute.Int("gather_axis", 0),
                OnnxAttribute.Int("quantize_axis", 2),
                OnnxAttribute.Int("block_size", BlockQuantizer.BlockSize),
                OnnxAttribute.Int("bits", shared.Bits));
            var paddedWidth = shared.BlocksPerRow * BlockQuantizer.BlockSize;
            var embedded = model.Node("Reshape", [rows, model.Constant("embedded_shape", 0, 0, paddedWidth)]);
            return Scaled(paddedWidth == d.HiddenSize
                ? embedded
                : model.Node("Slice", [embedded, model.Constant("embedded_start", 0), model.Constant("embedded_end", d.HiddenSize), model.Constant("hidden_axis", 2)]));
        }

        var table = model.AddInitializer(OnnxTensor.FromFloats(LlamaWeightNames.Embedding, [d.VocabSize, d.HiddenSize], embedding));
        return Scaled(model.Node("Gather", [table, inputIds], OnnxAttribute.Int("axis", 0)));
    }

    /// <summary>Gemma's embedding scale, applied to the gathered rows: a tied table is also the head, so it stays unscaled.</summary>
    private string Scaled(string embedded) =>
        d.EmbeddingScale == 1f ? embedded : model.Node("Mul", [embedded, model.ScalarConstant("embedding_scale", d.EmbeddingScale)]);

    /// <summary>RMSNorm over the last axis, scaled by the stored weight (Llama) or 1 + the weight (Gemma).</summary>
    public string RmsNorm(string input, string name, float[] weight)
    {
        var scale = model.AddInitializer(OnnxTensor.FromFloats(name, [weight.Length], d.NormScale(weight)));
        return Normalize(input, scale);
    }

    /// <summary>
    /// Gemma 3's RMSNorm over each query and key head of a packed QKV ([.., (heads + 2·kv_heads) · head_dim]): the
    /// query and key heads are normalised together and scaled by their own norm's weights, the values pass through.
    /// </summary>
    public string HeadNorms(string qkv, int layer)
    {
        var normedHeads = d.Heads + d.KvHeads;
        var split = (long)normedHeads * d.HeadDim;
        var queriesAndKeys = model.Node("Slice", [qkv, model.Constant("qk_start", 0), model.Constant("qk_end", split), model.Constant("qkv_axis", 2)]);
        var values = model.Node("Slice", [qkv, model.Constant("v_start", split), model.Constant("v_end", long.MaxValue), model.Constant("qkv_axis", 2)]);
        var heads = model.Node("Reshape", [queriesAndKeys, model.Constant("qk_heads_shape", 0, 0, normedHeads, d.HeadDim)]);
        var unit = model.AddInitializer(OnnxTensor.FromFloats(model.UniqueName("unit_scale"), [d.HeadDim], [.. Enumerable.Repeat(1f, d.HeadDim)]));
        var queryScale = d.NormScale(weights.QueryNorm(layer));
        var keyScale = d.NormScale(weights.KeyNorm(layer));
        float[] scales = [.. Enumerable.Repeat(queryScale, d.Heads).SelectMany(scale => scale), .. Enumerable.Repeat(keyScale, d.KvHeads).SelectMany(scale => scale)];
        var scale = model.AddInitializer(OnnxTensor.FromFloats($"model.layers.{layer}.self_attn.qk_norm.scale", [normedHeads, d.HeadDim], scales));
        var normed = model.Node("Mul", [Normalize(heads, unit), scale]);
        var flat = model.Node("Reshape", [normed, model.Constant("qk_flat_shape", 0, 0, split)]);
        return model.Node("Concat", [flat, values], OnnxAttribute.Int("axis", 2));
    }

    private string Normalize(string input, string scale)
    {
        if (standardOpsOnly)
        {
            var meanSquare = model.Node("ReduceMean", [model.Node("Pow", [input, model.ScalarConstant("two", 2f)])],
                OnnxAttribute.Ints("axes", -1), OnnxAttribute.Int("keepdims", 1));
            var root = model.Node("Sqrt", [model.Node("Add", [meanSquare, model.ScalarConstant("epsilon", d.RmsNormEps)])]);
            return model.Node("Mul", [model.Node("Div", [input, root]), scale]);
        }

        return model.Node("SimplifiedLayerNormalization", [input, scale],
            OnnxAttribute.Int("axis", -1),
            OnnxAttribute.Float("epsilon", d.RmsNormEps),
            OnnxAttribute.Int("stash_type", 1));
    }

    /// <summary>down(act(gate(x)) · up(x)) with the config's activation.</summary>
    public string Mlp(string input, int layer)
    {
        var prefix = $"model.layers.{layer}.mlp";
        var gate = Linear.Apply(input, prefix + ".gate_proj", weights.Gate(layer), d.IntermediateSize, d.HiddenSize);
        var up = Linear.Apply(input, prefix + ".up_proj", weights.Up(layer), d.IntermediateSize, d.HiddenSize);
        var activated = d.HiddenActivation switch
        {
            "silu" => model.Node("Mul", [gate, model.Node("Sigmoid", [gate])]),
            // FastGelu is GeLU's tanh approximation, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), on CPU and CUDA.
            "gelu_pytorch_tanh" or "gelu_tanh" => model.ContribNode("FastGelu", [gate]),
            "gelu" => model.ContribNode("Gelu", [gate]),
            var other => throw new NotSupportedException($"hidden activation '{other}' is not one the builder writes (silu, gelu_pytorch_tanh, gelu)."),
        };
        var product = model.Node("Mul", [activated, up]);
        return Linear.Apply(product, prefix + ".down_proj", weights.Down(layer), d.HiddenSize, d.IntermediateSize);
    }

    /// <summary>
    /// The rest of a layer after attention's output projection: Llama's h += attention, h += mlp(norm(h)); Gemma 3's
    /// h += norm(attention), h += norm(mlp(norm(h))).
    /// </summary>
    public string Residuals(string hidden, string attention, int layer)
    {
        var prefix = $"model.layers.{layer}";
        if (!d.IsGemma3)
        {
            hidden = model.Node("Add", [hidden, attention]);
            var llamaMlpInput = RmsNorm(hidden, prefix + ".post_attention_layernorm.weight", weights.PostAttentionNorm(layer));
            return model.Node("Add", [hidden, Mlp(llamaMlpInput, layer)]);
        }

        hidden = model.Node("Add", [hidden, RmsNorm(attention, prefix + ".post_attention_layernorm.weight", weights.PostAttentionNorm(layer))]);
        var mlpInput = RmsNorm(hidden, prefix + ".pre_feedforward_layernorm.weight", weights.PreFeedforwardNorm(layer));
        var mlp = RmsNorm(Mlp(mlpInput, layer), prefix + ".post_feedforward_layernorm.weight", weights.PostFeedforwardNorm(layer));
        return model.Node("Add", [hidden, mlp]);
    }

    /// <summary>Final norm and the head; after <see cref="Embed"/>, whose quantised table a tied head reuses.</summary>
    public void Head(string hidden, float[] embedding)
    {
        var normed = RmsNorm(hidden, LlamaWeightNames.FinalNorm, weights.FinalNorm());
        var logits = d.TieWordEmbeddings && precision == ModelPrecision.Fp32 ? TiedHead(normed)
            : _sharedEmbedding is not null ? Linear.Apply(normed, _sharedEmbedding)
            : Linear.Apply(normed, "lm_head", weights.Head(embedding), d.VocabSize, d.HiddenSize);
        if (d.FinalLogitSoftcap is { } cap)
        {
            var capValue = model.ScalarConstant("logit_cap", cap);
            logits = model.Node("Mul", [model.Node("Tanh", [model.Node("Div", [logits, capValue])]), capValue]);
        }

        model.NamedNode("Identity", [logits], [GraphNames.Logits], "");
        model.AddOutput(GraphNames.Logits, OnnxDataType.Float, "batch", "sequence", d.VocabSize);
    }

    /// <summary>
    /// logits = x · Eᵀ against the embedding table that <see cref="Embed"/> gathers from (Gemm with transB), so a tied
    /// fp32 graph holds the matrix once instead of adding a transposed copy. ONNX Runtime prepacks Gemm's B whether
    /// or not it is transposed: measured, the head runs as fast as a MatMul on a transposed copy (docs/model-format.md).
    /// </summary>
    private string TiedHead(string normed)
    {
        var rows = model.Node("Reshape", [normed, model.Constant("head_rows", -1, d.HiddenSize)]);
        var product = model.Node("Gemm", [rows, LlamaWeightNames.Embedding], OnnxAttribute.Int("transB", 1));
        var leading = model.Node("Shape", [normed], OnnxAttribute.Int("end", 2));
        var shape = model.Node("Concat", [leading, model.Constant("vocab", d.VocabSize)], OnnxAttribute.Int("axis", 0));
        return model.Node("Reshape", [product, shape]);
    }

    /// <summary>
    /// cos/sin of position / factor · θ^(−2i/head_dim) for i below head_dim/2: the rotate-half RoPE tables of full
    /// layers, with <c>rope_scaling</c>'s linear factor.
    /// </summary>
    public (float[] Cos, float[] Sin) RotaryTables(int positions) => RotaryTables(positions, d.RopeTheta, d.RopeScalingType == "linear" ? d.RopeScalingFactor : 1f);

    /// <summary>The tables for base <paramref name="theta"/> (Gemma's sliding layers have their own, never scaled).</summary>
    public (float[] Cos, float[] Sin) RotaryTables(int positions, float theta, float factor = 1f)
    {
        var half = d.HeadDim / 2;
        var cos = new float[positions * half];
        var sin = new float[positions * half];
        for (var position = 0; position < positions; position++)
        {
            for (var i = 0; i < half; i++)
            {
                var angle = position / (double)factor * Math.Pow(theta, -2.0 * i / d.HeadDim);
                cos[position * half + i] = (float)Math.Cos(angle);
                sin[position * half + i] = (float)Math.Sin(angle);
            }
        }

        return (cos, sin);
    }
}
