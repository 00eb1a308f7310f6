using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.CustomOps;
using OrleansSlm.Engine.Onnx;

namespace OrleansSlm.Engine.Models;

/// <summary>
/// The project's own decoder graph, for the Llama family and Gemma 3: GroupQueryAttention (packed QKV, rotate-half
/// RoPE inside, per-row <c>seqlens_k</c>, a local window on sliding layers) over KV buffers of a fixed capacity that
/// the engine binds as both past and present, so the cache is written in place; SimplifiedLayerNormalization; MatMul
/// or MatMulNBits linears. Layout in docs/model-format.md.
/// </summary>
public static class KvSlotGraphBuilder
{
    /// <summary>
    /// Builds the graph. The KV cache is bfloat16 where <paramref name="bfloat16Cache"/> says so, by default for int8
    /// and int4 graphs with <see cref="AttentionKernel.Slot"/>: their weights round far more than bfloat16 does, and a
    /// batched decode step is bound by reading the cache (ONNX Runtime's CPU attention takes float32 only).
    /// </summary>
    public static OnnxModel Build(ModelDescription d, IWeightSource source, ModelPrecision precision, AttentionKernel attention, bool? bfloat16Cache = null)
    {
        d.EnsureBuildable();
        if (attention == AttentionKernel.Auto)
        {
            throw new ArgumentException("A graph is built with one attention kernel; resolve Auto first (ModelOptions.ResolveAttention).", nameof(attention));
        }

        var bfloat16 = bfloat16Cache ?? (attention == AttentionKernel.Slot && precision != ModelPrecision.Fp32);
        if (bfloat16 && attention != AttentionKernel.Slot)
        {
            throw new ArgumentException("Only the Slot attention kernel reads a bfloat16 KV cache.", nameof(bfloat16Cache));
        }

        var model = new OnnxModel("orleansslm-decoder");
        model.SetMetadata(GraphNames.LayoutMetadataKey, GraphNames.KvSlotLayout);
        model.SetMetadata("orleansslm.precision", precision.ToString().ToLowerInvariant());
        if (attention == AttentionKernel.Slot && d.SlidingWindow is not null)
        {
            model.SetMetadata(GraphNames.SlidingCacheMetadataKey, GraphNames.WindowSlidingCache);
        }

        var weights = new DecoderWeights(d, source);
        var blocks = new DecoderBlocks(model, d, weights, precision);

        model.AddInput(GraphNames.InputIds, OnnxDataType.Int64, "batch", "sequence");
        model.AddInput(GraphNames.SeqLensK, OnnxDataType.Int32, "batch");
        model.AddInput(GraphNames.TotalSequenceLength, OnnxDataType.Int32);

        var rotary = RotaryCache(model, d, "rotary", blocks.RotaryTables(d.MaxPositionEmbeddings));
        var localRotary = d.RopeLocalTheta is { } localTheta
            ? RotaryCache(model, d, "rotary_local", blocks.RotaryTables(d.MaxPositionEmbeddings, localTheta))
            : rotary;

        var embedding = weights.Embedding();
        var hidden = blocks.Embed(GraphNames.InputIds, embedding);
        var qkvRows = (d.Heads + 2 * d.KvHeads) * d.HeadDim;
        var cacheType = bfloat16 ? OnnxDataType.BFloat16 : OnnxDataType.Float;
        for (var layer = 0; layer < d.Layers; layer++)
        {
            var prefix = $"model.layers.{layer}";
            var sliding = d.IsSlidingLayer(layer) && d.SlidingWindow is not null;
            var capacity = sliding && attention == AttentionKernel.Slot ? "window_capacity" : "capacity";
            model.AddInput(GraphNames.PastKey(layer), cacheType, "batch", d.KvHeads, capacity, d.HeadDim);
            model.AddInput(GraphNames.PastValue(layer), cacheType, "batch", d.KvHeads, capacity, d.HeadDim);

            var normed = blocks.RmsNorm(hidden, prefix + ".input_layernorm.weight", weights.InputNorm(layer));
            float[] packedQkv = [.. weights.Query(layer), .. weights.Key(layer), .. weights.Value(layer)];
            var qkv = blocks.Linear.Apply(normed, prefix + ".self_attn.qkv_proj", packedQkv, qkvRows, d.HiddenSize);
            if (d.IsGemma3)
            {
                qkv = blocks.HeadNorms(qkv, layer);
            }

            var (cosCache, sinCache) = sliding ? localRotary : rotary;
            var attentionOutputs = new[] { model.UniqueName("attention"), GraphNames.PresentKey(layer), GraphNames.PresentValue(layer) };
            var attributes = new List<OnnxAttribute>
            {
                OnnxAttribute.Int("num_heads", d.Heads),
                OnnxAttribute.Int("kv_num_heads", d.KvHeads),
                OnnxAttribute.Float("scale", d.AttentionScale),
            };
            if (sliding)
            {
                // Hugging Face's sliding_window and GroupQueryAttention's local_window_size (since ONNX Runtime 1.23)
                // both count the query's own position: W positions, the last W − 1 before it and itself.
                attributes.Add(OnnxAttribute.Int("local_window_size", d.SlidingWindow!.Value));
            }

            if (d.AttentionLogitSoftcap is { } softcap)
            {
                attributes.Add(OnnxAttribute.Float("softcap", softcap));
            }

            if (attention == AttentionKernel.Slot)
            {
                model.NamedNode(cacheType == OnnxDataType.BFloat16 ? SlotAttentionOp.BFloat16CacheName : SlotAttentionOp.Name,
                    [qkv, GraphNames.PastKey(layer), GraphNames.PastValue(layer), GraphNames.SeqLensK, GraphNames.TotalSequenceLength, cosCache, sinCache],
                    attentionOutputs, SlotAttentionOp.Domain, [.. attributes]);
            }
            else
            {
                model.NamedNode("GroupQueryAttention",
                    [qkv, "", "", GraphNames.PastKey(layer), GraphNames.PastValue(layer), GraphNames.SeqLensK, GraphNames.TotalSequenceLength, cosCache, sinCache],
                    attentionOutputs,
                    OnnxModel.MicrosoftDomain,
                    [.. attributes, OnnxAttribute.Int("do_rotary", 1), OnnxAttribute.Int("rotary_interleaved", 0)]);
            }

            model.AddOutput(GraphNames.PresentKey(layer), cacheType, "batch", d.KvHeads, capacity, d.HeadDim);
            model.AddOutput(GraphNames.PresentValue(layer), cacheType, "batch", d.KvHeads, capacity, d.HeadDim);

            var projected = blocks.Linear.Apply(attentionOutputs[0], prefix + ".self_attn.o_proj", weights.Output(layer), d.HiddenSize, d.Heads * d.HeadDim);
            hidden = blocks.Residuals(hidden, projected, layer);
        }

        // Only each row's last position is ever sampled: a prefill chunk runs the final norm and the head once per
        // row instead of once per prompt token (the head is a fifth of the model's multiply-adds).
        var lastPositions = model.Node("Slice",
            [hidden, model.Constant("last_start", -1), model.Constant("last_end", long.MaxValue), model.Constant("sequence_axis", 1)]);
        blocks.Head(lastPositions, embedding);
        return model;
    }

    private static (string Cos, string Sin) RotaryCache(OnnxModel model, ModelDescription d, string name, (float[] Cos, float[] Sin) tables)
    {
        var (cos, sin) = tables;
        return (model.AddInitializer(OnnxTensor.FromFloats(name + ".cos", [d.MaxPositionEmbeddings, d.HeadDim / 2], cos)),
            model.AddInitializer(OnnxTensor.FromFloats(name + ".sin", [d.MaxPositionEmbeddings, d.HeadDim / 2], sin)));
    }
}
