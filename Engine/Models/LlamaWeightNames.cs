namespace OrleansSlm.Engine.Models;

/// <summary>Hugging Face tensor names of a Llama-family checkpoint.</summary>
public static class LlamaWeightNames
{
    public const string Embedding = "model.embed_tokens.weight";
    public const string FinalNorm = "model.norm.weight";
    public const string Head = "lm_head.weight";

    public static string Layer(int layer, string part) => $"model.layers.{layer}.{part}.weight";
}
