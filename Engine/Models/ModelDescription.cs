using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansSlm.Engine.Models;

/// <summary>
/// The shape of a decoder, read from (and written as) the fields of a Hugging Face <c>config.json</c>: the Llama family,
/// and the fields Gemma 3 adds (sliding layers, its attention scale, local RoPE base, soft-capping, GeLU).
/// </summary>
public sealed record ModelDescription
{
    private const string SlidingAttention = "sliding_attention";

    private static readonly string[] SwitchesNotBuilt = ["attention_bias", "mlp_bias", "use_bidirectional_attention"];
    private const string FullAttention = "full_attention";

    public required string ModelType { get; init; }
    public required int HiddenSize { get; init; }
    public required int Layers { get; init; }
    public required int Heads { get; init; }
    public required int KvHeads { get; init; }
    public required int HeadDim { get; init; }
    public required int IntermediateSize { get; init; }
    public required int VocabSize { get; init; }
    public float RopeTheta { get; init; } = 10000f;
    public float RmsNormEps { get; init; } = 1e-5f;
    public bool TieWordEmbeddings { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 2048;
    public int? BosTokenId { get; init; }
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    /// <summary>Per layer, whether it attends over a sliding window (<c>layer_types</c>); empty when no layer slides.</summary>
    public IReadOnlyList<bool> SlidingLayers { get; init; } = [];

    /// <summary>The window of sliding layers, in tokens, the current one included (<c>sliding_window</c>).</summary>
    public int? SlidingWindow { get; init; }

    /// <summary>Gemma's <c>query_pre_attn_scalar</c>: attention scores are scaled by its inverse square root instead of <see cref="HeadDim"/>'s.</summary>
    public float? QueryPreAttentionScalar { get; init; }

    /// <summary>The RoPE base of sliding layers (<c>rope_local_base_freq</c>); <see cref="RopeTheta"/> on the others.</summary>
    public float? RopeLocalTheta { get; init; }

    /// <summary><c>final_logit_softcapping</c>: logits become <c>cap · tanh(logit / cap)</c>.</summary>
    public float? FinalLogitSoftcap { get; init; }

    /// <summary><c>attn_logit_softcapping</c>: attention scores capped the same way before the softmax.</summary>
    public float? AttentionLogitSoftcap { get; init; }

    /// <summary>The MLP's activation (<c>hidden_activation</c>, else <c>hidden_act</c>): <c>silu</c> for Llama, <c>gelu_pytorch_tanh</c> for Gemma.</summary>
    public string HiddenActivation { get; init; } = "silu";

    /// <summary>
    /// <c>rope_scaling</c>'s type when a config sets one: <c>linear</c> (positions divided by
    /// <see cref="RopeScalingFactor"/>, on full-attention layers; Gemma 3's larger sizes) is built, others are refused.
    /// </summary>
    public string? RopeScalingType { get; init; }

    public float RopeScalingFactor { get; init; } = 1f;

    /// <summary>
    /// Config switches the builder does not write, set to a value that changes the model (<c>attention_bias</c>,
    /// <c>mlp_bias</c>, <c>use_bidirectional_attention</c> true): a graph built without them would compute another model.
    /// </summary>
    public IReadOnlyList<string> UnsupportedSwitches { get; init; } = [];

    /// <summary>The dtype the checkpoint was published in (<c>torch_dtype</c>, or <c>dtype</c> in newer configs).</summary>
    public string WeightDtype { get; init; } = "float32";

    /// <summary>The factor attention scores are multiplied by.</summary>
    public float AttentionScale => 1f / MathF.Sqrt(QueryPreAttentionScalar ?? HeadDim);

    /// <summary>Gemma 3's text decoder: (1 + w) norms, q/k norms, norms around attention and MLP, scaled embeddings.</summary>
    public bool IsGemma3 => ModelType is Gemma3TextModelType;

    /// <summary>
    /// The factor embeddings are multiplied by: 1, or for Gemma √hidden rounded to the checkpoint's dtype, as Hugging
    /// Face's implementation casts it before multiplying (bfloat16 for the published weights: √640 = 25.298 becomes
    /// 25.25).
    /// </summary>
    public float EmbeddingScale => IsGemma3 ? RoundToDtype(MathF.Sqrt(HiddenSize), WeightDtype) : 1f;

    /// <summary>
    /// What a norm's stored weight becomes as its scale: Gemma stores w and scales by 1 + w (added in float32, as Hugging
    /// Face's implementation does), Llama stores the scale itself.
    /// </summary>
    public float[] NormScale(float[] weight) => IsGemma3 ? [.. weight.Select(w => 1f + w)] : weight;

    public bool IsSlidingLayer(int layer) => SlidingLayers.Count > layer && SlidingLayers[layer];

    /// <summary>Query heads that share one KV head (grouped-query attention).</summary>
    public int QueriesPerKvHead => Heads / KvHeads;

    /// <summary>Floats of key plus value cache per token over all layers.</summary>
    public long KvFloatsPerToken => 2L * Layers * KvHeads * HeadDim;

    public static ModelDescription Load(string configPath)
    {
        if (!File.Exists(configPath))
        {
            throw new FileNotFoundException($"The model has no config.json at {configPath}.", configPath);
        }

        try
        {
            var description = Parse(JsonNode.Parse(File.ReadAllText(configPath))?.AsObject()
                ?? throw new InvalidDataException("config.json is empty."));
            return WithGenerationConfig(description, Path.Combine(Path.GetDirectoryName(configPath) ?? ".", GenerationConfigFileName));
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{configPath} is not a usable model configuration: {exception.Message}", exception);
        }
    }

    public const string GenerationConfigFileName = "generation_config.json";

    /// <summary>
    /// The end-of-sequence ids of <c>generation_config.json</c> where it names them: they are what Hugging Face's
    /// generation stops on, and they may be more than config.json's (Gemma 3 stops on <c>&lt;eos&gt;</c> and
    /// <c>&lt;end_of_turn&gt;</c>; its config.json names only the first).
    /// </summary>
    private static ModelDescription WithGenerationConfig(ModelDescription description, string generationConfigPath)
    {
        if (!File.Exists(generationConfigPath))
        {
            return description;
        }

        var generation = JsonNode.Parse(File.ReadAllText(generationConfigPath))?.AsObject();
        var eos = EosOf(generation?["eos_token_id"]);
        return eos.Length == 0 ? description : description with { EosTokenIds = eos };
    }

    private static int[] EosOf(JsonNode? node) => node switch
    {
        null => [],
        JsonArray ids => ids.Select(id => id!.GetValue<int>()).ToArray(),
        var id => [id.GetValue<int>()],
    };

    public static ModelDescription Parse(JsonObject config)
    {
        var heads = Required(config, "num_attention_heads");
        var hidden = Required(config, "hidden_size");
        var layers = Required(config, "num_hidden_layers");
        var slidingWindow = Optional(config, "sliding_window");
        var description = new ModelDescription
        {
            ModelType = config["model_type"]?.GetValue<string>() ?? DefaultModelType,
            HiddenSize = hidden,
            Layers = layers,
            Heads = heads,
            KvHeads = Optional(config, "num_key_value_heads") ?? heads,
            HeadDim = Optional(config, "head_dim") ?? hidden / heads,
            IntermediateSize = Required(config, "intermediate_size"),
            VocabSize = Required(config, "vocab_size"),
            RopeTheta = config["rope_theta"]?.GetValue<float>() ?? 10000f,
            RmsNormEps = config["rms_norm_eps"]?.GetValue<float>() ?? 1e-6f,
            TieWordEmbeddings = config["tie_word_embeddings"]?.GetValue<bool>() ?? false,
            MaxPositionEmbeddings = Optional(config, "max_position_embeddings") ?? 2048,
            BosTokenId = Optional(config, "bos_token_id"),
            EosTokenIds = EosOf(config["eos_token_id"]),
            SlidingLayers = slidingWindow is null ? [] : SlidingLayersOf(config, layers),
            SlidingWindow = slidingWindow,
            QueryPreAttentionScalar = config["query_pre_attn_scalar"]?.GetValue<float>(),
            RopeLocalTheta = config["rope_local_base_freq"]?.GetValue<float>(),
            FinalLogitSoftcap = config["final_logit_softcapping"]?.GetValue<float>(),
            AttentionLogitSoftcap = config["attn_logit_softcapping"]?.GetValue<float>(),
            HiddenActivation = (config["hidden_activation"] ?? config["hidden_act"])?.GetValue<string>() ?? "silu",
            WeightDtype = (config["torch_dtype"] ?? config["dtype"])?.GetValue<string>() ?? "float32",
            RopeScalingType = config["rope_scaling"] is JsonObject scaling ? (scaling["rope_type"] ?? scaling["type"])?.GetValue<string>() ?? "default" : null,
            RopeScalingFactor = config["rope_scaling"] is JsonObject withFactor ? withFactor["factor"]?.GetValue<float>() ?? 1f : 1f,
            UnsupportedSwitches = [.. SwitchesNotBuilt
                .Where(name => config[name] is JsonValue value && value.TryGetValue<bool>(out var on) && on)],
        };
        description.Validate();
        return description;
    }

    public JsonObject ToConfigJson()
    {
        var config = LlamaFields();
        if (SlidingWindow is { } window)
        {
            config["sliding_window"] = window;
            config["layer_types"] = new JsonArray([.. SlidingLayers.Select(sliding => (JsonNode)(sliding ? SlidingAttention : FullAttention))]);
        }

        if (RopeScalingType is { } scalingType)
        {
            config["rope_scaling"] = new JsonObject { ["rope_type"] = scalingType, ["factor"] = RopeScalingFactor };
        }

        foreach (var (name, value) in new (string, float?)[]
        {
            ("query_pre_attn_scalar", QueryPreAttentionScalar),
            ("rope_local_base_freq", RopeLocalTheta),
            ("final_logit_softcapping", FinalLogitSoftcap),
            ("attn_logit_softcapping", AttentionLogitSoftcap),
        })
        {
            if (value is not null)
            {
                config[name] = value;
            }
        }

        return config;
    }

    /// <summary>
    /// <c>layer_types</c> when the config has it; else, for Gemma 3, the older <c>sliding_window_pattern</c> rule (every
    /// n-th layer attends fully, the others slide; 6 when unset); else every layer slides, as Mistral's window does.
    /// </summary>
    private static IReadOnlyList<bool> SlidingLayersOf(JsonObject config, int layers)
    {
        if (config["layer_types"] is JsonArray types)
        {
            if (types.Count != layers)
            {
                throw new InvalidDataException($"layer_types names {types.Count} layers, but num_hidden_layers is {layers}.");
            }

            return [.. types.Select(type => type!.GetValue<string>() switch
            {
                SlidingAttention => true,
                FullAttention => false,
                var other => throw new InvalidDataException($"layer_types holds '{other}'; expected '{SlidingAttention}' or '{FullAttention}'."),
            })];
        }

        if (config["model_type"]?.GetValue<string>() is not Gemma3TextModelType)
        {
            return [.. Enumerable.Repeat(true, layers)];
        }

        var pattern = Optional(config, "sliding_window_pattern") ?? 6;
        return [.. Enumerable.Range(0, layers).Select(layer => (layer + 1) % pattern != 0)];
    }

    private JsonObject LlamaFields() => new()
    {
        ["architectures"] = new JsonArray(IsGemma3 ? "Gemma3ForCausalLM" : "LlamaForCausalLM"),
        ["model_type"] = ModelType,
        ["hidden_size"] = HiddenSize,
        ["num_hidden_layers"] = Layers,
        ["num_attention_heads"] = Heads,
        ["num_key_value_heads"] = KvHeads,
        ["head_dim"] = HeadDim,
        ["intermediate_size"] = IntermediateSize,
        ["vocab_size"] = VocabSize,
        ["rope_theta"] = RopeTheta,
        ["rms_norm_eps"] = RmsNormEps,
        ["tie_word_embeddings"] = TieWordEmbeddings,
        ["max_position_embeddings"] = MaxPositionEmbeddings,
        ["bos_token_id"] = BosTokenId,
        ["eos_token_id"] = EosTokenIds.Count == 1 ? EosTokenIds[0] : new JsonArray(EosTokenIds.Select(id => (JsonNode)id).ToArray()),
        ["hidden_act"] = HiddenActivation,
        ["torch_dtype"] = WeightDtype,
    };

    public void Save(string configPath) =>
        File.WriteAllText(configPath, ToConfigJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>What a config.json without <c>model_type</c> is taken to be.</summary>
    public const string DefaultModelType = "llama";

    public const string Gemma3TextModelType = "gemma3_text";

    /// <summary>
    /// Whether the builder can write this model's graph: a family it knows (Llama, Mistral, Gemma 3) and nothing in the
    /// config it would have to leave out. Other models are served from their ONNX export.
    /// </summary>
    public bool IsBuildable => WhyNotBuildable is null;

    public static bool IsBuildableType(string? modelType) => modelType is "llama" or "mistral" or Gemma3TextModelType;

    /// <summary>What keeps the builder from writing this model's graph, or null.</summary>
    public string? WhyNotBuildable =>
        !IsBuildableType(ModelType)
            ? $"model_type '{ModelType}' is neither a Llama-family decoder nor Gemma 3's text decoder; the model builder writes graphs for " +
              $"'llama', 'mistral' and '{Gemma3TextModelType}' only. Serve such a model from its ONNX export (onnx/model.onnx) instead."
        : UnsupportedSwitches.Count > 0
            ? $"config.json sets {string.Join(", ", UnsupportedSwitches.Select(name => $"{name}: true"))}, which the model builder does not write; " +
              "serve such a model from its ONNX export instead."
        : RopeScalingType is not (null or "default" or "linear")
            ? $"rope_scaling type '{RopeScalingType}' is not one the model builder writes (linear); serve such a model from its ONNX export instead."
        : null;

    public void EnsureBuildable()
    {
        if (WhyNotBuildable is { } reason)
        {
            throw new NotSupportedException(reason);
        }
    }

    /// <summary>A float32 value as the given dtype would hold it (round to nearest, ties to even).</summary>
    private static float RoundToDtype(float value, string dtype) => dtype switch
    {
        "bfloat16" => BitConverter.UInt32BitsToSingle((BitConverter.SingleToUInt32Bits(value) + 0x7FFFu + ((BitConverter.SingleToUInt32Bits(value) >> 16) & 1u)) & 0xFFFF0000u),
        "float16" => (float)(Half)value,
        _ => value,
    };

    private void Validate()
    {
        if (Heads % KvHeads != 0)
        {
            throw new InvalidDataException($"num_attention_heads ({Heads}) is not a multiple of num_key_value_heads ({KvHeads}).");
        }

        if (HeadDim % 2 != 0)
        {
            throw new InvalidDataException($"head_dim ({HeadDim}) must be even for rotary embeddings.");
        }

        if (SlidingWindow is < 1)
        {
            throw new InvalidDataException($"sliding_window ({SlidingWindow}) must be at least 1.");
        }
    }

    private static int Required(JsonObject config, string name) =>
        Optional(config, name) ?? throw new InvalidDataException($"config.json lacks '{name}'.");

    private static int? Optional(JsonObject config, string name) => config[name]?.GetValue<int>();
}
