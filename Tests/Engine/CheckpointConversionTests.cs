using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Models;
using OrleansSlm.Engine.Text;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Engine;

/// <summary>A Hugging Face safetensors checkpoint directory, converted by the model loader to the builder's graph.</summary>
public sealed class CheckpointConversionTests : IDisposable
{
    private static readonly int[] Prompt = [1, 17, 300, 45, 9, 250, 77];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orleansslm-checkpoint-" + Guid.NewGuid().ToString("N"));
    private readonly string _cache = Path.Combine(Path.GetTempPath(), "orleansslm-checkpoint-cache-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        foreach (var directory in new[] { _directory, _cache }.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_float32_checkpoint_of_the_synthetic_weights_decodes_the_synthetic_models_tokens_and_is_converted_once()
    {
        WriteCheckpoint(new CheckpointWeights("F32", untied: false), "F32", shards: 1);
        using var synthetic = TinyModel.OpenDecoder(ModelPrecision.Fp32);
        var expected = DecodeTrace.Greedy(synthetic, Prompt, 12);
        var logger = new RecordingLogger();

        for (var load = 0; load < 2; load++)
        {
            using var model = await Load(logger);
            var actual = DecodeTrace.Greedy(model.Decoder, Prompt, 12);
            Assert.Equal(expected.Tokens, actual.Tokens);
            Assert.Equal(expected.Logits, actual.Logits);
            Assert.Equal(
                Path.Combine(_cache, CheckpointConverter.ConvertedDirectoryName, CheckpointConverter.ConversionKey(_directory),
                    GraphNames.BuiltGraphFileName("orleansslm-model", ModelPrecision.Fp32, TinyModel.Attention)),
                model.GraphPath);
        }

        Assert.Single(logger.Messages, message => message.StartsWith("Converting the safetensors checkpoint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_model_directory_is_left_as_it_was_and_replaced_weights_are_converted_again()
    {
        WriteCheckpoint(new CheckpointWeights("F32", untied: false), "F32", shards: 1);
        var before = Snapshot(_directory);
        var logger = new RecordingLogger();

        string firstGraph;
        using (var first = await Load(logger))
        {
            firstGraph = first.GraphPath;
        }

        Assert.Equal(before, Snapshot(_directory));
        Assert.StartsWith(_cache, firstGraph, StringComparison.Ordinal);
        WriteCheckpoint(new CheckpointWeights("F32", untied: true), "F32", shards: 1);
        using var second = await Load(logger);

        Assert.NotEqual(firstGraph, second.GraphPath);
        Assert.Equal(2, logger.Messages.Count(message => message.StartsWith("Converting the safetensors checkpoint", StringComparison.Ordinal)));
    }

    private static List<string> Snapshot(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(file => $"{file} {new FileInfo(file).Length} {File.GetLastWriteTimeUtc(file).Ticks}")];

    /// <summary>
    /// The reference is the builder's graph over the same values in memory (the seeded weights rounded as the dtype
    /// rounds them), so converted logits must match it to float32 rounding; the first logits are also checked against
    /// the independent C# forward pass, which reads <c>lm_head.weight</c> when the embeddings are untied.
    /// </summary>
    [Theory]
    [InlineData("F32", 3, true)]
    [InlineData("BF16", 1, true)]
    [InlineData("BF16", 3, false)]
    [InlineData("F16", 1, false)]
    [InlineData("F16", 3, true)]
    public async Task A_checkpoint_in_any_dtype_and_sharding_decodes_the_tokens_of_its_weights(string dataType, int shards, bool untied)
    {
        var weights = new CheckpointWeights(dataType, untied);
        WriteCheckpoint(weights, dataType, shards);
        using var reference = new KvSlotDecoder(
            SessionFactory.Create(KvSlotGraphBuilder.Build(weights.Description, weights, ModelPrecision.Fp32, TinyModel.Attention).ToBytes(), TinyModel.Options),
            weights.Description, slots: 1, capacity: 128);

        using var model = await Load(new RecordingLogger());

        var expected = DecodeTrace.Greedy(reference, Prompt, 12);
        var actual = DecodeTrace.Greedy(model.Decoder, Prompt, 12);
        Assert.Equal(expected.Tokens, actual.Tokens);
        var error = actual.WorstRelativeError(expected);
        Assert.True(error < 1e-6, $"worst relative error of the logits {error:E2}");
        var independent = ReferenceForwardTests.RelativeError(new ReferenceLlama(weights.Description, weights).LastLogits(Prompt), actual.Logits[0]);
        Assert.True(independent < 1e-4, $"relative error against the C# forward pass {independent:E2}");
    }

    /// <summary>
    /// Gemma 3's checkpoint as Google publishes it: BF16, sharded, config.json naming one end id and
    /// generation_config.json two, a tokenizer.json only. The converted graph must decode what the independent reference
    /// pass computes over the same rounded weights, stop on both end ids, and render prompts with Gemma's template.
    /// </summary>
    [Fact]
    public async Task A_bfloat16_sharded_gemma_3_checkpoint_is_converted_and_decodes_its_weights()
    {
        var gemma = TinyGemma.Description with { VocabSize = 512, WeightDtype = "bfloat16", EosTokenIds = [1] };
        var weights = new CheckpointWeights("BF16", untied: false, gemma, TinyGemma.Weights);
        WriteCheckpoint(weights, "BF16", shards: 2);
        File.WriteAllText(Path.Combine(_directory, ModelDescription.GenerationConfigFileName), """{"bos_token_id": 2, "eos_token_id": [1, 106]}""");

        using var model = await Load(new RecordingLogger());

        var reference = new ReferenceGemma(weights.Description, weights) { EmbeddingScale = 8 }.Logits(Prompt);
        var decoded = DecodeTrace.Greedy(model.Decoder, Prompt, 1);
        var error = ReferenceForwardTests.RelativeError(reference[^1], decoded.Logits[0]);
        Assert.True(error < 1e-4, $"relative error against the Gemma reference pass {error:E2}");
        Assert.Equal([1, 106], model.Decoder.Description.EosTokenIds);
        Assert.IsType<GemmaChatTemplate>(model.ChatTemplate);
        Assert.Equal(106, model.Tokenizer.TokenToId("<end_of_turn>"));
    }

    private void WriteCheckpoint(CheckpointWeights weights, string dataType, int shards)
    {
        Directory.CreateDirectory(_directory);
        var config = weights.Description.ToConfigJson();
        config["torch_dtype"] = dataType == "BF16" ? "bfloat16" : dataType == "F16" ? "float16" : "float32";
        File.WriteAllText(Path.Combine(_directory, "config.json"), config.ToJsonString());
        if (weights.Description.IsGemma3)
        {
            SyntheticGemmaTokenizer.Write(_directory, weights.Description.VocabSize);
        }
        else
        {
            SyntheticTokenizer.Write(_directory, weights.Description.VocabSize);
        }

        SafeTensorsWriter.WriteCheckpoint(_directory, weights, dataType, shards);
    }

    private Task<LoadedModel> Load(RecordingLogger logger) =>
        new ModelLoader(new ModelOptions { Id = _directory, CacheDir = _cache, Precision = ModelPrecision.Fp32, Threads = 1, MaxBatch = 1, MaxContext = 128 }, logger)
            .LoadAsync(CancellationToken.None);
}
