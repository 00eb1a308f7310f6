using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Onnx;

namespace OrleansSlm.Engine.Models;

/// <summary>
/// A decoder graph in the Hugging Face / Optimum export layout, written with standard ONNX operators as an exporter
/// writes them: inputs <c>input_ids</c>, <c>attention_mask</c>, <c>position_ids</c> and
/// <c>past_key_values.{i}.key|value</c> [batch, kv_heads, past, head_dim]; outputs <c>logits</c> and
/// <c>present.{i}.key|value</c> (past and new keys and values concatenated). Attention masks causally and by
/// <c>attention_mask</c>, RoPE reads its angles at <c>position_ids</c>. It carries no layout metadata, so the engine
/// treats it as any export. Linears follow <see cref="ModelPrecision"/> (MatMulNBits for int8/int4, as quantised
/// exports do). Gemma 3 is written as its onnx-community export is, with fused attention (<see cref="BuildFusedGemma3"/>).
/// </summary>
public static class ExportLayoutGraphBuilder
{
    private const string Batch = "batch_size";
    private const string Sequence = "sequence_length";
    private const string Past = "past_sequence_length";
    private const string Total = "total_sequence_length";

    public static OnnxModel Build(ModelDescription d, IWeightSource source, ModelPrecision precision)
    {
        d.EnsureBuildable();
        if (d.IsGemma3)
        {
            return BuildFusedGemma3(d, source, precision);
        }

        var model = new OnnxModel("orleansslm-export-decoder");
        var weights = new DecoderWeights(d, source);
        var blocks = new DecoderBlocks(model, d, weights, precision, standardOpsOnly: true);

        AddInputs(model, d);

        var (cos, sin) = RotaryAngles(model, d, blocks);
        var maskBias = AttentionBias(model);
        var embedding = weights.Embedding();
        var hidden = blocks.Embed(GraphNames.InputIds, embedding);
        for (var layer = 0; layer < d.Layers; layer++)
        {
            var prefix = $"model.layers.{layer}";
            var normed = blocks.RmsNorm(hidden, prefix + ".input_layernorm.weight", weights.InputNorm(layer));
            var query = Heads(model, blocks.Linear.Apply(normed, prefix + ".self_attn.q_proj", weights.Query(layer), d.Heads * d.HeadDim, d.HiddenSize), d.Heads, d.HeadDim);
            var key = Heads(model, blocks.Linear.Apply(normed, prefix + ".self_attn.k_proj", weights.Key(layer), d.KvHeads * d.HeadDim, d.HiddenSize), d.KvHeads, d.HeadDim);
            var value = Heads(model, blocks.Linear.Apply(normed, prefix + ".self_attn.v_proj", weights.Value(layer), d.KvHeads * d.HeadDim, d.HiddenSize), d.KvHeads, d.HeadDim);

            model.NamedNode("Concat", [GraphNames.PastKey(layer), Rotate(model, key, cos, sin, d.HeadDim)], [GraphNames.PresentKey(layer)], "", OnnxAttribute.Int("axis", 2));
            model.NamedNode("Concat", [GraphNames.PastValue(layer), value], [GraphNames.PresentValue(layer)], "", OnnxAttribute.Int("axis", 2));
            model.AddOutput(GraphNames.PresentKey(layer), OnnxDataType.Float, Batch, d.KvHeads, Total, d.HeadDim);
            model.AddOutput(GraphNames.PresentValue(layer), OnnxDataType.Float, Batch, d.KvHeads, Total, d.HeadDim);

            var keys = RepeatKv(model, d, GraphNames.PresentKey(layer));
            var values = RepeatKv(model, d, GraphNames.PresentValue(layer));
            var scores = model.Node("MatMul", [Rotate(model, query, cos, sin, d.HeadDim), model.Node("Transpose", [keys], OnnxAttribute.Ints("perm", 0, 1, 3, 2))]);
            var scaled = model.Node("Mul", [scores, model.ScalarConstant("scale", 1f / MathF.Sqrt(d.HeadDim))]);
            var probabilities = model.Node("Softmax", [model.Node("Add", [scaled, maskBias])], OnnxAttribute.Int("axis", -1));
            var context = model.Node("Transpose", [model.Node("MatMul", [probabilities, values])], OnnxAttribute.Ints("perm", 0, 2, 1, 3));
            var merged = model.Node("Reshape", [context, model.Constant("merged_shape", 0, 0, d.Heads * d.HeadDim)]);

            var attention = blocks.Linear.Apply(merged, prefix + ".self_attn.o_proj", weights.Output(layer), d.HiddenSize, d.Heads * d.HeadDim);
            hidden = blocks.Residuals(hidden, attention, layer);
        }

        blocks.Head(hidden, embedding);
        return model;
    }

    /// <summary>
    /// Gemma 3 as the onnx-community exports (transformers.js) write it, with ONNX Runtime GenAI's fused attention:
    /// the same inputs and outputs as any export, and per layer separate q/k/v linears, q/k norms over each head, and
    /// com.microsoft GroupQueryAttention with RoPE inside (<c>do_rotary</c>), <c>local_window_size</c> on sliding
    /// layers, <c>seqlens_k</c> and <c>total_sequence_length</c> derived from <c>attention_mask</c>, and past and
    /// present as separate buffers (present = past + new). <c>position_ids</c> is an input, as in those exports, though
    /// the attention reads positions from the mask.
    /// </summary>
    private static OnnxModel BuildFusedGemma3(ModelDescription d, IWeightSource source, ModelPrecision precision)
    {
        var model = new OnnxModel("orleansslm-export-decoder");
        var weights = new DecoderWeights(d, source);
        var blocks = new DecoderBlocks(model, d, weights, precision, standardOpsOnly: true);

        AddInputs(model, d);

        var lengths = model.Node("ReduceSum", [GraphNames.AttentionMask, model.Constant("sequence_axis", 1)], OnnxAttribute.Int("keepdims", 0));
        var seqLens = model.Node("Cast", [model.Node("Sub", [lengths, model.AddInitializer(OnnxTensor.FromInt64s(model.UniqueName("one"), [], [1]))])],
            OnnxAttribute.Int("to", (long)OnnxDataType.Int32));
        var totalLength = model.Node("Cast", [model.Node("Squeeze", [model.Node("Shape", [GraphNames.AttentionMask], OnnxAttribute.Int("start", 1))])],
            OnnxAttribute.Int("to", (long)OnnxDataType.Int32));
        (string Cos, string Sin) Rotary(string name, (float[] Cos, float[] Sin) tables) =>
            (model.AddInitializer(OnnxTensor.FromFloats(name + ".cos", [d.MaxPositionEmbeddings, d.HeadDim / 2], tables.Cos)),
                model.AddInitializer(OnnxTensor.FromFloats(name + ".sin", [d.MaxPositionEmbeddings, d.HeadDim / 2], tables.Sin)));

        var global = Rotary("rotary", blocks.RotaryTables(d.MaxPositionEmbeddings));
        var local = Rotary("rotary_local", blocks.RotaryTables(d.MaxPositionEmbeddings, d.RopeLocalTheta ?? d.RopeTheta));
        var embedding = weights.Embedding();
        var hidden = blocks.Embed(GraphNames.InputIds, embedding);
        for (var layer = 0; layer < d.Layers; layer++)
        {
            var prefix = $"model.layers.{layer}";
            var sliding = d.IsSlidingLayer(layer) && d.SlidingWindow is not null;
            var normed = blocks.RmsNorm(hidden, prefix + ".input_layernorm.weight", weights.InputNorm(layer));
            var query = HeadNorm(model, blocks, blocks.Linear.Apply(normed, prefix + ".self_attn.q_proj", weights.Query(layer), d.Heads * d.HeadDim, d.HiddenSize),
                d.Heads, d.HeadDim, prefix + ".self_attn.q_norm.weight", weights.QueryNorm(layer));
            var key = HeadNorm(model, blocks, blocks.Linear.Apply(normed, prefix + ".self_attn.k_proj", weights.Key(layer), d.KvHeads * d.HeadDim, d.HiddenSize),
                d.KvHeads, d.HeadDim, prefix + ".self_attn.k_norm.weight", weights.KeyNorm(layer));
            var value = blocks.Linear.Apply(normed, prefix + ".self_attn.v_proj", weights.Value(layer), d.KvHeads * d.HeadDim, d.HiddenSize);
            var (cos, sin) = sliding ? local : global;
            var attended = model.UniqueName("attention");
            model.NamedNode("GroupQueryAttention",
                [query, key, value, GraphNames.PastKey(layer), GraphNames.PastValue(layer), seqLens, totalLength, cos, sin],
                [attended, GraphNames.PresentKey(layer), GraphNames.PresentValue(layer)],
                OnnxModel.MicrosoftDomain,
                [
                    OnnxAttribute.Int("num_heads", d.Heads),
                    OnnxAttribute.Int("kv_num_heads", d.KvHeads),
                    OnnxAttribute.Float("scale", d.AttentionScale),
                    OnnxAttribute.Int("local_window_size", sliding ? d.SlidingWindow!.Value : -1),
                    OnnxAttribute.Int("do_rotary", 1),
                    OnnxAttribute.Int("rotary_interleaved", 0),
                ]);
            model.AddOutput(GraphNames.PresentKey(layer), OnnxDataType.Float, Batch, d.KvHeads, Total, d.HeadDim);
            model.AddOutput(GraphNames.PresentValue(layer), OnnxDataType.Float, Batch, d.KvHeads, Total, d.HeadDim);

            var projected = blocks.Linear.Apply(attended, prefix + ".self_attn.o_proj", weights.Output(layer), d.HiddenSize, d.Heads * d.HeadDim);
            hidden = blocks.Residuals(hidden, projected, layer);
        }

        blocks.Head(hidden, embedding);
        return model;
    }

    /// <summary>The export's inputs: token ids, the mask over past and new tokens, positions, and each layer's past.</summary>
    private static void AddInputs(OnnxModel model, ModelDescription d)
    {
        model.AddInput(GraphNames.InputIds, OnnxDataType.Int64, Batch, Sequence);
        model.AddInput(GraphNames.AttentionMask, OnnxDataType.Int64, Batch, Total);
        model.AddInput(GraphNames.PositionIds, OnnxDataType.Int64, Batch, Sequence);
        for (var layer = 0; layer < d.Layers; layer++)
        {
            model.AddInput(GraphNames.PastKey(layer), OnnxDataType.Float, Batch, d.KvHeads, Past, d.HeadDim);
            model.AddInput(GraphNames.PastValue(layer), OnnxDataType.Float, Batch, d.KvHeads, Past, d.HeadDim);
        }
    }

    /// <summary>[batch, sequence, heads · head_dim] normalised over each head and back.</summary>
    private static string HeadNorm(OnnxModel model, DecoderBlocks blocks, string projected, int heads, int headDim, string name, float[] weight)
    {
        var split = model.Node("Reshape", [projected, model.Constant("heads_shape", 0, 0, heads, headDim)]);
        return model.Node("Reshape", [blocks.RmsNorm(split, name, weight), model.Constant("merged_shape", 0, 0, heads * headDim)]);
    }

    /// <summary>cos and sin at each row's <c>position_ids</c>, full head width (rotate-half repeats the angles), as [batch, 1, sequence, head_dim].</summary>
    private static (string Cos, string Sin) RotaryAngles(OnnxModel model, ModelDescription d, DecoderBlocks blocks)
    {
        var (halfCos, halfSin) = blocks.RotaryTables(d.MaxPositionEmbeddings);
        string Table(string name, float[] half)
        {
            var width = d.HeadDim / 2;
            var full = new float[d.MaxPositionEmbeddings * d.HeadDim];
            for (var i = 0; i < full.Length; i++)
            {
                full[i] = half[(i / d.HeadDim * width) + (i % d.HeadDim % width)];
            }

            var table = model.AddInitializer(OnnxTensor.FromFloats(name, [d.MaxPositionEmbeddings, d.HeadDim], full));
            return model.Node("Unsqueeze", [model.Node("Gather", [table, GraphNames.PositionIds], OnnxAttribute.Int("axis", 0)), model.Constant("head_axis", 1)]);
        }

        return (Table("rotary.cos", halfCos), Table("rotary.sin", halfSin));
    }

    /// <summary>
    /// 0 where query i (at absolute position past + i) may attend to key j, the lowest float elsewhere: j ≤ past + i
    /// and <c>attention_mask</c>[b, j] = 1. Shape [batch, 1, sequence, total].
    /// </summary>
    private static string AttentionBias(OnnxModel model)
    {
        var total = model.Node("Squeeze", [model.Node("Shape", [GraphNames.AttentionMask], OnnxAttribute.Int("start", 1))]);
        var sequence = model.Node("Squeeze", [model.Node("Shape", [GraphNames.InputIds], OnnxAttribute.Int("start", 1))]);
        var one = model.AddInitializer(OnnxTensor.FromInt64s(model.UniqueName("one"), [], [1]));
        var zero = model.AddInitializer(OnnxTensor.FromInt64s(model.UniqueName("zero"), [], [0]));
        var keyPositions = model.Node("Range", [zero, total, one]);
        var queryPositions = model.Node("Range", [model.Node("Sub", [total, sequence]), total, one]);
        var causal = model.Node("LessOrEqual", [keyPositions, model.Node("Unsqueeze", [queryPositions, model.Constant("query_axis", 1)])]);
        var present = model.Node("Unsqueeze", [model.Node("Cast", [GraphNames.AttentionMask], OnnxAttribute.Int("to", (long)OnnxDataType.Bool)), model.Constant("mask_axes", 1, 2)]);
        return model.Node("Where", [model.Node("And", [causal, present]), model.ScalarConstant("attend", 0f), model.ScalarConstant("masked", float.MinValue)]);
    }

    /// <summary>[batch, sequence, heads · head_dim] → [batch, heads, sequence, head_dim].</summary>
    private static string Heads(OnnxModel model, string projected, int heads, int headDim) =>
        model.Node("Transpose", [model.Node("Reshape", [projected, model.Constant("heads_shape", 0, 0, heads, headDim)])], OnnxAttribute.Ints("perm", 0, 2, 1, 3));

    /// <summary>Rotate-half RoPE: x · cos + (−x₂, x₁) · sin, with x₁ and x₂ the halves of each head.</summary>
    private static string Rotate(OnnxModel model, string x, string cos, string sin, int headDim)
    {
        var axis = model.Constant("last_axis", 3);
        var first = model.Node("Slice", [x, model.Constant("start", 0), model.Constant("end", headDim / 2), axis]);
        var second = model.Node("Slice", [x, model.Constant("start", headDim / 2), model.Constant("end", headDim), axis]);
        var rotated = model.Node("Concat", [model.Node("Neg", [second]), first], OnnxAttribute.Int("axis", 3));
        return model.Node("Add", [model.Node("Mul", [x, cos]), model.Node("Mul", [rotated, sin])]);
    }

    /// <summary>Grouped-query attention: KV head h serves query heads h·g … h·g + g − 1, so each is repeated g times in place.</summary>
    private static string RepeatKv(OnnxModel model, ModelDescription d, string kv)
    {
        if (d.QueriesPerKvHead == 1)
        {
            return kv;
        }

        var grouped = model.Node("Unsqueeze", [kv, model.Constant("group_axis", 2)]);
        var repeated = model.Node("Expand", [grouped, model.Constant("group_repeat", 1, 1, d.QueriesPerKvHead, 1, 1)]);
        return model.Node("Reshape", [repeated, model.Constant("repeated_shape", 0, d.Heads, -1, d.HeadDim)]);
    }
}
