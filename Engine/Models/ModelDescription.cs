using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansSlm.Engine.Models;

/// <summary>The shape of a Llama-family decoder, read from (and written as) the fields of a Hugging Face <c>config.json</c>.</summary>
public sealed record ModelDescription
{
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
        var description = new ModelDescription
        {
            ModelType = config["model_type"]?.GetValue<string>() ?? DefaultModelType,
            HiddenSize = hidden,
            Layers = Required(config, "num_hidden_layers"),
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
        };
        description.Validate();
        return description;
    }

    public JsonObject ToConfigJson() => new()
    {
        ["architectures"] = new JsonArray("LlamaForCausalLM"),
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
        ["hidden_act"] = "silu",
        ["torch_dtype"] = "float32",
    };

    public void Save(string configPath) =>
        File.WriteAllText(configPath, ToConfigJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>Whether the builder can write this model's graph (Llama family); other families are served from their ONNX export.</summary>
    /// <summary>What a config.json without <c>model_type</c> is taken to be.</summary>
    public const string DefaultModelType = "llama";

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
