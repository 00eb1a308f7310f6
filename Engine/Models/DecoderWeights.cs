namespace OrleansSlm.Engine.Models;

/// <summary>
/// Reads a decoder's tensors (Llama family, Gemma 3) from a weight source with the shapes the description implies.
/// Norm weights are returned as stored; <see cref="ModelDescription.NormScale"/> turns them into scales.
/// </summary>
public sealed class DecoderWeights(ModelDescription d, IWeightSource source)
{
    public float[] Embedding() => source.Read(LlamaWeightNames.Embedding, d.VocabSize, d.HiddenSize);

    public float[] FinalNorm() => source.Read(LlamaWeightNames.FinalNorm, d.HiddenSize);

    /// <summary>The output projection [vocab, hidden]: the embedding itself when the embeddings are tied.</summary>
    public float[] Head(float[] embedding)
    {
        if (d.TieWordEmbeddings)
        {
            return embedding;
        }

        return source.Contains(LlamaWeightNames.Head)
            ? source.Read(LlamaWeightNames.Head, d.VocabSize, d.HiddenSize)
            : throw new InvalidDataException($"tie_word_embeddings is false but the weights hold no '{LlamaWeightNames.Head}'.");
    }

    public float[] InputNorm(int layer) => source.Read(LlamaWeightNames.Layer(layer, "input_layernorm"), d.HiddenSize);

    /// <summary>Llama's norm before the MLP; Gemma 3's norm of the attention output before the residual.</summary>
    public float[] PostAttentionNorm(int layer) => source.Read(LlamaWeightNames.Layer(layer, "post_attention_layernorm"), d.HiddenSize);

    /// <summary>Gemma 3's norm before the MLP.</summary>
    public float[] PreFeedforwardNorm(int layer) => source.Read(LlamaWeightNames.Layer(layer, "pre_feedforward_layernorm"), d.HiddenSize);

    /// <summary>Gemma 3's norm of the MLP's output before the residual.</summary>
    public float[] PostFeedforwardNorm(int layer) => source.Read(LlamaWeightNames.Layer(layer, "post_feedforward_layernorm"), d.HiddenSize);

    /// <summary>Gemma 3's RMSNorm over each query head, before RoPE.</summary>
    public float[] QueryNorm(int layer) => source.Read(LlamaWeightNames.Layer(layer, "self_attn.q_norm"), d.HeadDim);

    public float[] KeyNorm(int layer) => source.Read(LlamaWeightNames.Layer(layer, "self_attn.k_norm"), d.HeadDim);

    public float[] Query(int layer) => source.Read(LlamaWeightNames.Layer(layer, "self_attn.q_proj"), d.Heads * d.HeadDim, d.HiddenSize);

    public float[] Key(int layer) => source.Read(LlamaWeightNames.Layer(layer, "self_attn.k_proj"), d.KvHeads * d.HeadDim, d.HiddenSize);

    public float[] Value(int layer) => source.Read(LlamaWeightNames.Layer(layer, "self_attn.v_proj"), d.KvHeads * d.HeadDim, d.HiddenSize);

    public float[] Output(int layer) => source.Read(LlamaWeightNames.Layer(layer, "self_attn.o_proj"), d.HiddenSize, d.Heads * d.HeadDim);

    public float[] Gate(int layer) => source.Read(LlamaWeightNames.Layer(layer, "mlp.gate_proj"), d.IntermediateSize, d.HiddenSize);

    public float[] Up(int layer) => source.Read(LlamaWeightNames.Layer(layer, "mlp.up_proj"), d.IntermediateSize, d.HiddenSize);

    public float[] Down(int layer) => source.Read(LlamaWeightNames.Layer(layer, "mlp.down_proj"), d.HiddenSize, d.IntermediateSize);
}
