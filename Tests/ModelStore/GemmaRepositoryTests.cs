using Microsoft.Extensions.Logging.Abstractions;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Models;
using OrleansSlm.Engine.Text;
using OrleansSlm.Tests.Engine;
using Store = OrleansSlm.Engine.ModelStore.ModelStore;

namespace OrleansSlm.Tests.ModelStore;

/// <summary>
/// The two Gemma 3 repositories users name, in the layouts their publishers use, served by a loopback hub with the
/// tiny Gemma's weights: <c>Model:Id</c> of each resolves, loads and decodes what the reference pass computes.
/// </summary>
public sealed class GemmaRepositoryTests : IDisposable
{
    private const string Token = "hf_gemmaAccessToken0123456789";
    private static readonly int[] Prompt = [2, 105, 17, 300, 45, 9, 250, 77, 106];

    private static readonly ModelDescription Gemma = TinyGemma.Description with { VocabSize = 512, WeightDtype = "bfloat16" };

    private readonly string _workDirectory = Path.Combine(Path.GetTempPath(), "orleansslm-gemma-repo-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_workDirectory, recursive: true);

    /// <summary>google/gemma-3-270m-it's layout: gated, one BF16 model.safetensors, tokenizer.json and tokenizer_config.json.</summary>
    [Fact]
    public async Task Googles_gated_checkpoint_is_fetched_with_the_token_converted_and_decodes_its_weights()
    {
        var source = Path.Combine(_workDirectory, "google");
        var weights = new CheckpointWeights("BF16", untied: false, Gemma, TinyGemma.Weights);
        WriteRepositoryFiles(source);
        SafeTensorsWriter.WriteCheckpoint(source, weights, "BF16", shards: 1);
        using var hub = new LoopbackModelServer("/google/gemma-3-270m-it/resolve/main/") { RequiredToken = Token };
        hub.AddDirectory(source);

        using var model = await Load(hub, "google/gemma-3-270m-it", Token);

        Assert.IsType<KvSlotDecoder>(model.Decoder);
        AssertServesGemma(model, new ReferenceGemma(weights.Description, weights) { EmbeddingScale = 8 });
    }

    /// <summary>onnx-community/gemma-3-270m-it-ONNX's layout: not gated, no checkpoint, the fused export under onnx/.</summary>
    [Fact]
    public async Task The_onnx_community_export_is_fetched_and_served_as_an_export()
    {
        var source = Path.Combine(_workDirectory, "onnx-community");
        WriteRepositoryFiles(source);
        ExportLayoutModel.WriteGemma(source, Gemma, TinyGemma.Weights, ModelPrecision.Fp32);
        using var hub = new LoopbackModelServer("/onnx-community/gemma-3-270m-it-ONNX/resolve/main/");
        hub.AddDirectory(source);

        using var model = await Load(hub, "onnx-community/gemma-3-270m-it-ONNX", token: null);

        Assert.IsType<ExportLayoutDecoder>(model.Decoder);
        AssertServesGemma(model, new ReferenceGemma(Gemma, TinyGemma.Weights));
    }

    private static void AssertServesGemma(LoadedModel model, ReferenceGemma reference)
    {
        Assert.Equal([1, 106], model.Decoder.Description.EosTokenIds);
        var prompt = model.ChatTemplate.Render([new ChatMessage("user", "Hi")]);
        Assert.Equal([2, 105], model.Tokenizer.Encode(prompt).Take(2));
        var error = ReferenceForwardTests.RelativeError(reference.Logits(Prompt)[^1], DecodeTrace.Greedy(model.Decoder, Prompt, 0).Logits[0]);
        Assert.True(error < 1e-4, $"relative error against the Gemma reference pass {error:E2}");
    }

    private static void WriteRepositoryFiles(string directory)
    {
        Directory.CreateDirectory(directory);
        (Gemma with { EosTokenIds = [1] }).Save(Path.Combine(directory, "config.json"));
        File.WriteAllText(Path.Combine(directory, ModelDescription.GenerationConfigFileName), """{"bos_token_id": 2, "eos_token_id": [1, 106]}""");
        SyntheticGemmaTokenizer.Write(directory, Gemma.VocabSize);
    }

    private async Task<LoadedModel> Load(LoopbackModelServer hub, string modelId, string? token)
    {
        var options = new ModelOptions
        {
            Id = modelId, CacheDir = Path.Combine(_workDirectory, "cache"), HuggingFaceToken = token, Precision = ModelPrecision.Fp32,
            Threads = 1, MaxBatch = 1, MaxContext = 64,
        };
        var store = new Store(options, new HttpClient(), NullLogger<Store>.Instance, hub.BaseUrl);
        return await new ModelLoader(options, NullLogger.Instance, store.ResolveAsync).LoadAsync(CancellationToken.None);
    }
}
