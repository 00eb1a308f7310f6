using System.Text.Json.Nodes;
using OrleansSlm.Engine.Models;

namespace OrleansSlm.Tests.Engine;

/// <summary>config.json as Hugging Face publishes it, read into the decoder's shape.</summary>
public sealed class ModelDescriptionTests
{
    /// <summary>google/gemma-3-270m-it's config.json, as published.</summary>
    private const string Gemma3_270m = """
        {
          "architectures": ["Gemma3ForCausalLM"], "attention_bias": false, "attn_logit_softcapping": null, "bos_token_id": 2,
          "eos_token_id": 1, "final_logit_softcapping": null, "head_dim": 256, "hidden_activation": "gelu_pytorch_tanh",
          "hidden_size": 640, "intermediate_size": 2048,
          "layer_types": ["sliding_attention", "sliding_attention", "sliding_attention", "sliding_attention", "sliding_attention", "full_attention",
                          "sliding_attention", "sliding_attention", "sliding_attention", "sliding_attention", "sliding_attention", "full_attention",
                          "sliding_attention", "sliding_attention", "sliding_attention", "sliding_attention", "sliding_attention", "full_attention"],
          "max_position_embeddings": 32768, "model_type": "gemma3_text", "num_attention_heads": 4, "num_hidden_layers": 18,
          "num_key_value_heads": 1, "pad_token_id": 0, "query_pre_attn_scalar": 256, "rms_norm_eps": 1e-06,
          "rope_local_base_freq": 10000.0, "rope_scaling": null, "rope_theta": 1000000.0, "sliding_window": 512,
          "torch_dtype": "bfloat16", "vocab_size": 262144
        }
        """;

    [Fact]
    public void Gemma_3_270m_reads_as_its_architecture_with_every_sixth_layer_attending_fully()
    {
        var gemma = ModelDescription.Parse(JsonNode.Parse(Gemma3_270m)!.AsObject());

        Assert.Equal((640, 18, 4, 1, 256, 2048, 262_144), (gemma.HiddenSize, gemma.Layers, gemma.Heads, gemma.KvHeads, gemma.HeadDim, gemma.IntermediateSize, gemma.VocabSize));
        Assert.Equal([5, 11, 17], Enumerable.Range(0, 18).Where(layer => !gemma.IsSlidingLayer(layer)));
        Assert.Equal((512, 1e6f, 10_000f), (gemma.SlidingWindow, gemma.RopeTheta, gemma.RopeLocalTheta));
        Assert.Equal(1f / 16, gemma.AttentionScale);
        Assert.Equal("gelu_pytorch_tanh", gemma.HiddenActivation);
        Assert.Null(gemma.FinalLogitSoftcap);
        Assert.Equal([1], gemma.EosTokenIds);
    }

    [Fact]
    public void Without_layer_types_gemma_follows_the_sliding_window_pattern_and_other_families_slide_every_layer()
    {
        var config = JsonNode.Parse(Gemma3_270m)!.AsObject();
        config.Remove("layer_types");
        var byDefault = ModelDescription.Parse(config);
        config["sliding_window_pattern"] = 3;
        var everyThird = ModelDescription.Parse(config);
        config["model_type"] = "mistral";
        var mistral = ModelDescription.Parse(config);

        Assert.Equal([5, 11, 17], Enumerable.Range(0, 18).Where(layer => !byDefault.IsSlidingLayer(layer)));
        Assert.Equal([2, 5, 8, 11, 14, 17], Enumerable.Range(0, 18).Where(layer => !everyThird.IsSlidingLayer(layer)));
        Assert.All(Enumerable.Range(0, 18), layer => Assert.True(mistral.IsSlidingLayer(layer)));
    }

    [Fact]
    public void A_llama_config_has_no_sliding_layers_and_the_head_dimension_scale()
    {
        var llama = ModelDescription.Parse(JsonNode.Parse("""
            {"model_type":"llama","hidden_size":576,"num_hidden_layers":30,"num_attention_heads":9,"num_key_value_heads":3,"intermediate_size":1536,"vocab_size":49152,"sliding_window":null}
            """)!.AsObject());

        Assert.Empty(llama.SlidingLayers);
        Assert.Equal(1f / MathF.Sqrt(64), llama.AttentionScale);
        Assert.Equal("silu", llama.HiddenActivation);
    }

    [Fact]
    public void Gemmas_fields_survive_a_round_trip_through_config_json()
    {
        var gemma = ModelDescription.Parse(JsonNode.Parse(Gemma3_270m)!.AsObject()) with
        {
            FinalLogitSoftcap = 30f, AttentionLogitSoftcap = 50f, RopeScalingType = "linear", RopeScalingFactor = 8f,
        };

        var again = ModelDescription.Parse(gemma.ToConfigJson());

        Assert.Equal(gemma.SlidingLayers, again.SlidingLayers);
        Assert.Equal(
            (gemma.SlidingWindow, gemma.QueryPreAttentionScalar, gemma.RopeLocalTheta, gemma.FinalLogitSoftcap, gemma.AttentionLogitSoftcap, gemma.HiddenActivation),
            (again.SlidingWindow, again.QueryPreAttentionScalar, again.RopeLocalTheta, again.FinalLogitSoftcap, again.AttentionLogitSoftcap, again.HiddenActivation));
        Assert.Equal((gemma.RopeScalingType, gemma.RopeScalingFactor, gemma.WeightDtype), (again.RopeScalingType, again.RopeScalingFactor, again.WeightDtype));
        Assert.Equal("Gemma3ForCausalLM", again.ToConfigJson()["architectures"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Layer_types_that_do_not_match_the_layers_are_refused()
    {
        var config = JsonNode.Parse(Gemma3_270m)!.AsObject();
        config["num_hidden_layers"] = 12;

        Assert.Contains("layer_types names 18 layers", Assert.Throws<InvalidDataException>(() => ModelDescription.Parse(config)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gemmas_embedding_scale_is_the_root_of_the_hidden_size_as_the_checkpoints_dtype_holds_it()
    {
        var gemma = ModelDescription.Parse(JsonNode.Parse(Gemma3_270m)!.AsObject());

        Assert.Equal("bfloat16", gemma.WeightDtype);
        Assert.Equal(25.25f, gemma.EmbeddingScale);
        Assert.Equal(MathF.Sqrt(640), (gemma with { WeightDtype = "float32" }).EmbeddingScale);
        Assert.Equal((float)(Half)MathF.Sqrt(640), (gemma with { WeightDtype = "float16" }).EmbeddingScale);
        Assert.Equal(1f, (gemma with { ModelType = "llama" }).EmbeddingScale);
    }

    [Fact]
    public void Generation_config_end_ids_replace_the_single_one_of_config_json()
    {
        var directory = Directory.CreateTempSubdirectory("gemma-config-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "config.json"), Gemma3_270m);
            Assert.Equal([1], ModelDescription.Load(Path.Combine(directory.FullName, "config.json")).EosTokenIds);

            File.WriteAllText(Path.Combine(directory.FullName, ModelDescription.GenerationConfigFileName),
                """{"bos_token_id": 2, "cache_implementation": "hybrid", "eos_token_id": [1, 106], "top_k": 64, "top_p": 0.95}""");

            Assert.Equal([1, 106], ModelDescription.Load(Path.Combine(directory.FullName, "config.json")).EosTokenIds);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Gemma_3_text_is_buildable_and_other_families_are_not()
    {
        Assert.True(ModelDescription.IsBuildableType("gemma3_text"));
        Assert.False(ModelDescription.IsBuildableType("qwen2"));
    }

    [Fact]
    public void Config_switches_the_builder_does_not_write_are_refused_by_name_and_false_ones_are_not()
    {
        var config = JsonNode.Parse(Gemma3_270m)!.AsObject();
        Assert.Null(Record.Exception(() => ModelDescription.Parse(config).EnsureBuildable()));

        config["attention_bias"] = true;
        config["use_bidirectional_attention"] = true;
        var error = Assert.Throws<NotSupportedException>(() => ModelDescription.Parse(config).EnsureBuildable());

        Assert.Contains("attention_bias: true, use_bidirectional_attention: true", error.Message, StringComparison.Ordinal);
    }
}
