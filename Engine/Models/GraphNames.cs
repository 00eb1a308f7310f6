using OrleansSlm.Engine.Configuration;

namespace OrleansSlm.Engine.Models;

/// <summary>Input and output names of the decoder graphs (docs/model-format.md).</summary>
public static class GraphNames
{
    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string PositionIds = "position_ids";
    public const string SeqLensK = "seqlens_k";
    public const string TotalSequenceLength = "total_sequence_length";
    public const string Logits = "logits";

    /// <summary>Metadata key naming the graph layout; the builder writes <see cref="KvSlotLayout"/>.</summary>
    public const string LayoutMetadataKey = "orleansslm.layout";

    /// <summary>
    /// The builder's layout: one KV cache slot per sequence, bound as both past and present. v2: logits of each
    /// row's last position only; v3: sliding-window attention on sliding layers (Mistral, Gemma 3). The value is written into graph files and their cache names, so it stays as first
    /// written.
    /// </summary>
    public const string KvSlotLayout = "gqa-shared-kv-v3";

    /// <summary>
    /// Metadata key saying how long a sliding layer's cache must be: <see cref="WindowSlidingCache"/> where the
    /// attention keeps the window as a ring (the project's kernel), absent where it needs every position
    /// (GroupQueryAttention indexes the cache by position).
    /// </summary>
    public const string SlidingCacheMetadataKey = "orleansslm.sliding_cache";

    public const string WindowSlidingCache = "window";

    /// <summary>
    /// The file name of a graph the builder writes into a cache: it names the layout and a quantised graph's block
    /// size (and the attention kernel, when not ONNX Runtime's), so a cache written by a version with another layout
    /// or block is rebuilt rather than opened.
    /// </summary>
    public static string BuiltGraphFileName(string prefix, ModelPrecision precision, AttentionKernel attention)
    {
        var quantization = precision == ModelPrecision.Fp32 ? "" : $"-block{BlockQuantizer.BlockSize}";
        var kernel = attention == AttentionKernel.Slot ? ".slot-attention" : "";
        return $"{prefix}-{precision.ToString().ToLowerInvariant()}{quantization}{kernel}.{KvSlotLayout}.onnx";
    }

    public static string PastKey(int layer) => $"past_key_values.{layer}.key";

    public static string PastValue(int layer) => $"past_key_values.{layer}.value";

    public static string PresentKey(int layer) => $"present.{layer}.key";

    public static string PresentValue(int layer) => $"present.{layer}.value";
}
