using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Models;
using OrleansSlm.Engine.Onnx;
using OrleansSlm.Engine.Text;

namespace OrleansSlm.Tests.Engine;

/// <summary>A Hugging Face / Optimum export (onnx/model.onnx with external data), found and served by the model loader.</summary>
public sealed class ExportLayoutTests : IDisposable
{
    private static readonly int[] Prompt = [1, 17, 300, 45, 9, 250, 77];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orleansslm-export-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>
    /// Same weights, same precision, two graphs: the builder's (GroupQueryAttention over a shared float32 cache) and the
    /// export's (standard-op attention over concatenated past and present). Measured: worst relative error of the logits
    /// below 1e-6 at every precision. The int8/int4 bound is looser because MatMulNBits rounds its input activations
    /// to int8: a last-bit difference from the attention can move one value across a rounding step.
    /// </summary>
    [Theory]
    [InlineData(ModelPrecision.Fp32, 1e-5)]
    [InlineData(ModelPrecision.Int8, 1e-3)]
    [InlineData(ModelPrecision.Int4, 1e-3)]
    public async Task An_export_of_the_tiny_models_weights_decodes_the_greedy_tokens_and_logits_of_the_builders_graph(ModelPrecision precision, double tolerance)
    {
        ExportLayoutModel.Write(_directory, precision);

        using var export = await Load(precision);
        using var builder = TinyModel.OpenDecoder(precision, AttentionKernel.GroupQuery);

        Assert.IsType<ExportLayoutDecoder>(export.Decoder);
        Assert.Equal(Path.Combine(_directory, "onnx", ExportLayoutModel.GraphFileName(precision)), export.GraphPath);
        Assert.True(new FileInfo(export.GraphPath + "_data").Length > new FileInfo(export.GraphPath).Length,
            "the weights should sit in the external data file, not in the graph");
        var expected = DecodeTrace.Greedy(builder, Prompt, 16);
        var actual = DecodeTrace.Greedy(export.Decoder, Prompt, 16);
        Assert.Equal(expected.Tokens, actual.Tokens);
        var error = actual.WorstRelativeError(expected);
        Assert.True(error < tolerance, $"{precision}: worst relative error of the logits {error:E2}");
    }

    /// <summary>
    /// The onnx-community Gemma 3 layout (fused GroupQueryAttention with a local window, separate past and present,
    /// a tokenizer.json only) over the tiny Gemma's weights, with a prompt longer than the window: the export decodes
    /// the builder graph's greedy tokens and logits, which the independent reference pass also gives, and stops on
    /// generation_config.json's two end ids.
    /// </summary>
    [Theory]
    [InlineData(ModelPrecision.Fp32, 1e-5)]
    [InlineData(ModelPrecision.Int4, 1e-3)]
    public async Task An_onnx_community_gemma_3_export_decodes_what_the_builders_graph_decodes(ModelPrecision precision, double tolerance)
    {
        var gemma = TinyGemma.Description with { VocabSize = 512 };
        ExportLayoutModel.WriteGemma(_directory, gemma, TinyGemma.Weights, precision);

        using var export = await Load(precision);
        using var builder = TinyGemma.OpenDecoder(AttentionKernel.GroupQuery, precision, description: gemma);

        Assert.IsType<ExportLayoutDecoder>(export.Decoder);
        Assert.Equal([1, 106], export.Decoder.Description.EosTokenIds);
        Assert.IsType<GemmaChatTemplate>(export.ChatTemplate);
        var expected = DecodeTrace.Greedy(builder, Prompt, 12);
        var actual = DecodeTrace.Greedy(export.Decoder, Prompt, 12);
        Assert.Equal(expected.Tokens, actual.Tokens);
        var error = actual.WorstRelativeError(expected);
        Assert.True(error < tolerance, $"{precision}: worst relative error of the logits {error:E2}");
        if (precision == ModelPrecision.Fp32)
        {
            var independent = ReferenceForwardTests.RelativeError(TinyGemma.Reference(gemma).Logits(Prompt)[^1], actual.Logits[0]);
            Assert.True(independent < 1e-4, $"relative error against the Gemma reference pass {independent:E2}");
        }
    }

    /// <summary>
    /// A repository with both a checkpoint and an export is served from the checkpoint, unless its config asks for
    /// what the builder does not write: then from the export, rather than failing or building another model.
    /// </summary>
    [Fact]
    public async Task A_checkpoint_whose_config_the_builder_refuses_gives_way_to_the_export_beside_it()
    {
        var gemma = TinyGemma.Description with { VocabSize = 512 };
        ExportLayoutModel.WriteGemma(_directory, gemma, TinyGemma.Weights, ModelPrecision.Fp32);
        SafeTensorsWriter.WriteCheckpoint(_directory, new CheckpointWeights("F32", untied: false, gemma, TinyGemma.Weights), "F32", shards: 1);
        using (var both = await Load(ModelPrecision.Fp32))
        {
            Assert.IsType<KvSlotDecoder>(both.Decoder);
        }

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(_directory, "config.json")))!.AsObject();
        config["rope_scaling"] = new JsonObject { ["rope_type"] = "yarn", ["factor"] = 4 };
        File.WriteAllText(Path.Combine(_directory, "config.json"), config.ToJsonString());

        using var refused = await Load(ModelPrecision.Fp32);

        Assert.IsType<ExportLayoutDecoder>(refused.Decoder);
    }

    [Fact]
    public async Task An_export_without_past_key_values_is_refused_with_the_way_out()
    {
        var graph = new OnnxModel("no-cache");
        graph.AddInput(GraphNames.InputIds, OnnxDataType.Int64, "batch_size", "sequence_length");
        graph.AddInput(GraphNames.AttentionMask, OnnxDataType.Int64, "batch_size", "sequence_length");
        var table = graph.AddInitializer(OnnxTensor.FromFloats("embed", [TinyModel.Description.VocabSize, 1], new float[TinyModel.Description.VocabSize]));
        graph.NamedNode("Gather", [table, GraphNames.InputIds], [GraphNames.Logits], "");
        graph.AddOutput(GraphNames.Logits, OnnxDataType.Float, "batch_size", "sequence_length", 1);
        ExportLayoutModel.Write(_directory, graph);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Load(ModelPrecision.Fp32));

        Assert.Contains("past_key_values", error.Message);
        Assert.Contains("--task text-generation-with-past", error.Message);
    }

    private Task<LoadedModel> Load(ModelPrecision precision) =>
        new ModelLoader(new ModelOptions { Id = _directory, Precision = precision, Threads = 1, MaxBatch = 1, MaxContext = 128 }, NullLogger.Instance)
            .LoadAsync(CancellationToken.None);
}
