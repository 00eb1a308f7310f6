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

    /// <summary>The factor attention scores are multiplied by.</summary>
    public float AttentionScale => 1f / MathF.Sqrt(QueryPreAttentionScalar ?? HeadDim);

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
            return Parse(JsonNode.Parse(File.ReadAllText(configPath))?.AsObject()
                ?? throw new InvalidDataException("config.json is empty."));
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{configPath} is not a usable model configuration: {exception.Message}", exception);
        }
    }

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
            EosTokenIds = config["eos_token_id"] switch
            {
                null => [],
                JsonArray ids => ids.Select(id => id!.GetValue<int>()).ToArray(),
                var id => [id.GetValue<int>()],
            },
            SlidingLayers = slidingWindow is null ? [] : SlidingLayersOf(config, layers),
            SlidingWindow = slidingWindow,
            QueryPreAttentionScalar = config["query_pre_attn_scalar"]?.GetValue<float>(),
            RopeLocalTheta = config["rope_local_base_freq"]?.GetValue<float>(),
            FinalLogitSoftcap = config["final_logit_softcapping"]?.GetValue<float>(),
            AttentionLogitSoftcap = config["attn_logit_softcapping"]?.GetValue<float>(),
            HiddenActivation = (config["hidden_activation"] ?? config["hidden_act"])?.GetValue<string>() ?? "silu",
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

        if (config["model_type"]?.GetValue<string>() is not ("gemma3_text" or "gemma3"))
        {
            return [.. Enumerable.Repeat(true, layers)];
        }

        var pattern = Optional(config, "sliding_window_pattern") ?? 6;
        return [.. Enumerable.Range(0, layers).Select(layer => (layer + 1) % pattern != 0)];
    }

    private JsonObject LlamaFields() => new()
    {
        ["architectures"] = new JsonArray(ModelType == "gemma3_text" ? "Gemma3ForCausalLM" : "LlamaForCausalLM"),
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
        ["torch_dtype"] = "float32",
    };

    public void Save(string configPath) =>
        File.WriteAllText(configPath, ToConfigJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>What a config.json without <c>model_type</c> is taken to be.</summary>
    public const string DefaultModelType = "llama";

    /// <summary>Whether the builder can write this model's graph (Llama family); other families are served from their ONNX export.</summary>
    public bool IsBuildable => IsBuildableType(ModelType);

    public static bool IsBuildableType(string? modelType) => modelType is "llama" or "mistral";

    public void EnsureBuildable()
    {
        if (!IsBuildable)
        {
            throw new NotSupportedException(
                $"model_type '{ModelType}' is not a Llama-family decoder; the model builder writes graphs for 'llama' only. " +
                "Serve such a model from its ONNX export (onnx/model.onnx) instead.");
        }
    }

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
    }

    private static int Required(JsonObject config, string name) =>
        Optional(config, name) ?? throw new InvalidDataException($"config.json lacks '{name}'.");

    private static int? Optional(JsonObject config, string name) => config[name]?.GetValue<int>();
}
