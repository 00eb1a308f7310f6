namespace OrleansSlm.Engine.Models;

/// <summary>Reads a Llama-family decoder's tensors from a weight source with the shapes the description implies.</summary>
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

    public float[] PostAttentionNorm(int layer) => source.Read(LlamaWeightNames.Layer(layer, "post_attention_layernorm"), d.HiddenSize);

    public float[] Query(int layer) => source.Read(LlamaWeightNames.Layer(layer, "self_attn.q_proj"), d.Heads * d.HeadDim, d.HiddenSize);

    public float[] Key(int layer) => source.Read(LlamaWeightNames.Layer(layer, "self_attn.k_proj"), d.KvHeads * d.HeadDim, d.HiddenSize);

    public float[] Value(int layer) => source.Read(LlamaWeightNames.Layer(layer, "self_attn.v_proj"), d.KvHeads * d.HeadDim, d.HiddenSize);

    public float[] Output(int layer) => source.Read(LlamaWeightNames.Layer(layer, "self_attn.o_proj"), d.HiddenSize, d.Heads * d.HeadDim);

    public float[] Gate(int layer) => source.Read(LlamaWeightNames.Layer(layer, "mlp.gate_proj"), d.IntermediateSize, d.HiddenSize);

    public float[] Up(int layer) => source.Read(LlamaWeightNames.Layer(layer, "mlp.up_proj"), d.IntermediateSize, d.HiddenSize);

    public float[] Down(int layer) => source.Read(LlamaWeightNames.Layer(layer, "mlp.down_proj"), d.HiddenSize, d.IntermediateSize);
}
