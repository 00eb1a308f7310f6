using OrleansSlm.Engine.Models;

namespace OrleansSlm.Tests.Engine;

/// <summary>
/// A model's seeded weights (the tiny Llama model's unless <paramref name="model"/> and <paramref name="seeded"/> say
/// otherwise) as a checkpoint of <paramref name="dataType"/> holds them: rounded to BF16 or F16 (round to nearest even,
/// as PyTorch casts) and, when <paramref name="untied"/>, with an <c>lm_head.weight</c> of its own. The checkpoint
/// writer and the reference graph both read these values.
/// </summary>
public sealed class CheckpointWeights(string dataType, bool untied, ModelDescription? model = null, IWeightSource? seeded = null) : IWeightSource
{
    private readonly IWeightSource _seeded = seeded ?? TinyModel.Synthetic.CreateWeights();

    public ModelDescription Description { get; } = (model ?? TinyModel.Description) with { TieWordEmbeddings = !untied };

    public bool Contains(string name) => name == LlamaWeightNames.Head ? untied : _seeded.Contains(name);

    public float[] Read(string name, params int[] shape) => _seeded.Read(name, shape).Select(Round).ToArray();

    /// <summary>Every tensor of the checkpoint with its shape, in the order a Llama (or Gemma 3) checkpoint lists them.</summary>
    public IEnumerable<(string Name, int[] Shape)> Tensors()
    {
        var d = Description;
        yield return (LlamaWeightNames.Embedding, [d.VocabSize, d.HiddenSize]);
        for (var layer = 0; layer < d.Layers; layer++)
        {
            yield return (LlamaWeightNames.Layer(layer, "input_layernorm"), [d.HiddenSize]);
            yield return (LlamaWeightNames.Layer(layer, "self_attn.q_proj"), [d.Heads * d.HeadDim, d.HiddenSize]);
            yield return (LlamaWeightNames.Layer(layer, "self_attn.k_proj"), [d.KvHeads * d.HeadDim, d.HiddenSize]);
            yield return (LlamaWeightNames.Layer(layer, "self_attn.v_proj"), [d.KvHeads * d.HeadDim, d.HiddenSize]);
            yield return (LlamaWeightNames.Layer(layer, "self_attn.o_proj"), [d.HiddenSize, d.Heads * d.HeadDim]);
            yield return (LlamaWeightNames.Layer(layer, "post_attention_layernorm"), [d.HiddenSize]);
            yield return (LlamaWeightNames.Layer(layer, "mlp.gate_proj"), [d.IntermediateSize, d.HiddenSize]);
            yield return (LlamaWeightNames.Layer(layer, "mlp.up_proj"), [d.IntermediateSize, d.HiddenSize]);
            yield return (LlamaWeightNames.Layer(layer, "mlp.down_proj"), [d.HiddenSize, d.IntermediateSize]);
            if (d.IsGemma3)
            {
                yield return (LlamaWeightNames.Layer(layer, "self_attn.q_norm"), [d.HeadDim]);
                yield return (LlamaWeightNames.Layer(layer, "self_attn.k_norm"), [d.HeadDim]);
                yield return (LlamaWeightNames.Layer(layer, "pre_feedforward_layernorm"), [d.HiddenSize]);
                yield return (LlamaWeightNames.Layer(layer, "post_feedforward_layernorm"), [d.HiddenSize]);
            }
        }

        yield return (LlamaWeightNames.FinalNorm, [d.HiddenSize]);
        if (untied)
        {
            yield return (LlamaWeightNames.Head, [d.VocabSize, d.HiddenSize]);
        }
    }

    private float Round(float value) => dataType switch
    {
        "F32" => value,
        "F16" => (float)(Half)value,
        "BF16" => SafeTensorsWriter.FromBFloat16(SafeTensorsWriter.ToBFloat16(value)),
        _ => throw new ArgumentException($"Unknown safetensors dtype {dataType}."),
    };
}
