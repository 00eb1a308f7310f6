using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.ModelStore;
using OrleansSlm.Engine.Text;
using OrleansSlm.Tests.Text;
using Store = OrleansSlm.Engine.ModelStore.ModelStore;

namespace OrleansSlm.Tests.ModelStore;

public sealed class ModelStoreTests : IDisposable
{
    private const string ModelId = "test-org/tiny-model";
    private const string HubPrefix = "/test-org/tiny-model/resolve/main/";

    private readonly string _workDirectory = Path.Combine(Path.GetTempPath(), "orleansslm-store-" + Guid.NewGuid().ToString("N"));
    private readonly string _modelDirectory;
    private readonly byte[] _weights = RandomBytes(300_000, seed: 1);
    private readonly byte[] _externalData = RandomBytes(200_000, seed: 2);

    public ModelStoreTests()
    {
        // A builder-like export: the synthetic tokenizer, the configuration files and stand-in ONNX weights (the store never parses them).
        _modelDirectory = Path.Combine(_workDirectory, "source");
        SyntheticTokenizer.Write(_modelDirectory, 300);
        File.WriteAllText(Path.Combine(_modelDirectory, "config.json"), """{"model_type": "llama", "vocab_size": 300}""");
        File.WriteAllText(Path.Combine(_modelDirectory, "generation_config.json"), """{"eos_token_id": 2}""");
        Directory.CreateDirectory(Path.Combine(_modelDirectory, "onnx"));
        File.WriteAllBytes(Path.Combine(_modelDirectory, "onnx", "model.onnx"), _weights);
        File.WriteAllBytes(Path.Combine(_modelDirectory, "onnx", "model.onnx_data"), _externalData);
    }

    private string CacheDirectory => Path.Combine(_workDirectory, "cache");

    public void Dispose() => Directory.Delete(_workDirectory, recursive: true);

    [Theory]
    [InlineData("llama", true)]
    [InlineData("mistral", true)]
    [InlineData("gemma3_text", true)]
    [InlineData("qwen2", false)]
    public async Task A_checkpoint_the_builder_reads_is_fetched_instead_of_the_onnx_export_and_other_families_get_the_export(string modelType, bool checkpointExpected)
    {
        var checkpoint = RandomBytes(1000, seed: 3);
        File.WriteAllBytes(Path.Combine(_modelDirectory, "model.safetensors"), checkpoint);
        File.WriteAllText(Path.Combine(_modelDirectory, "config.json"), $$"""{"model_type": "{{modelType}}", "vocab_size": 300}""");
        using var server = HubServer();

        var directory = await Store(server.BaseUrl).ResolveAsync(ModelId, CancellationToken.None);

        if (checkpointExpected)
        {
            Assert.Equal(checkpoint, File.ReadAllBytes(Path.Combine(directory, "model.safetensors")));
            Assert.DoesNotContain(HubPrefix + "onnx/model.onnx", server.Requests);
        }
        else
        {
            Assert.Equal(_weights, File.ReadAllBytes(Path.Combine(directory, "onnx", "model.onnx")));
            Assert.DoesNotContain(HubPrefix + "model.safetensors", server.Requests);
        }
    }

    [Fact]
    public async Task Downloads_a_hub_repository_into_the_cache_with_its_tokenizer_and_weights()
    {
        using var server = HubServer();

        var directory = await Store(server.BaseUrl).ResolveAsync(ModelId, CancellationToken.None);

        Assert.StartsWith(CacheDirectory, directory);
        Assert.Equal(_weights, File.ReadAllBytes(Path.Combine(directory, "onnx", "model.onnx")));
        Assert.Equal(_externalData, File.ReadAllBytes(Path.Combine(directory, "onnx", "model.onnx_data")));
        Assert.Equal("hello 42", TokenizerLoader.Load(directory).Decode(TokenizerLoader.Load(directory).Encode("hello 42")));
        Assert.Contains(HubPrefix + "tokenizer.model", server.Requests);
        Assert.Empty(Directory.EnumerateFiles(directory, "*.partial", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_repository_with_only_tokenizer_json_is_accepted_and_its_tokenizer_fetched()
    {
        TokenizerJsonFiles.WriteByteLevel(_modelDirectory, Path.Combine(_modelDirectory, "tokenizer.json"), mergesAsPairs: true);
        File.Delete(Path.Combine(_modelDirectory, "vocab.json"));
        File.Delete(Path.Combine(_modelDirectory, "merges.txt"));
        using var server = HubServer();

        var directory = await Store(server.BaseUrl).ResolveAsync(ModelId, CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(directory, "tokenizer.json")));
        Assert.False(File.Exists(Path.Combine(directory, "vocab.json")));
        var tokenizer = TokenizerLoader.Load(directory);
        Assert.Equal("hello 42", tokenizer.Decode(tokenizer.Encode("hello 42")));
    }

    [Fact]
    public async Task A_repository_without_any_tokenizer_file_is_refused_before_its_weights_are_fetched()
    {
        File.Delete(Path.Combine(_modelDirectory, "vocab.json"));
        File.Delete(Path.Combine(_modelDirectory, "merges.txt"));
        using var server = HubServer();

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => Store(server.BaseUrl).ResolveAsync(ModelId, CancellationToken.None));

        Assert.Contains("tokenizer.json", error.Message);
        Assert.DoesNotContain(HubPrefix + "onnx/model.onnx", server.Requests);
    }

    [Fact]
    public async Task Shards_in_a_subfolder_of_the_repository_are_fetched_into_the_same_subfolder()
    {
        var shard = RandomBytes(2000, seed: 4);
        Directory.CreateDirectory(Path.Combine(_modelDirectory, "shards"));
        File.WriteAllBytes(Path.Combine(_modelDirectory, "shards", "model-00001-of-00001.safetensors"), shard);
        File.WriteAllText(Path.Combine(_modelDirectory, "model.safetensors.index.json"),
            """{"metadata": {}, "weight_map": {"model.embed_tokens.weight": "shards/model-00001-of-00001.safetensors"}}""");
        using var server = HubServer();

        var directory = await Store(server.BaseUrl).ResolveAsync(ModelId, CancellationToken.None);

        Assert.Equal(shard, File.ReadAllBytes(Path.Combine(directory, "shards", "model-00001-of-00001.safetensors")));
    }

    [Theory]
    [InlineData("../../escaped.safetensors")]
    [InlineData("shards/../../escaped.safetensors")]
    [InlineData("/tmp/escaped.safetensors")]
    public async Task A_shard_named_outside_the_model_directory_is_refused_before_anything_is_fetched(string shard)
    {
        File.WriteAllText(Path.Combine(_modelDirectory, "model.safetensors.index.json"),
            $$$"""{"metadata": {}, "weight_map": {"model.embed_tokens.weight": "{{{shard}}}"}}""");
        using var server = HubServer();

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => Store(server.BaseUrl).ResolveAsync(ModelId, CancellationToken.None));

        Assert.Contains("outside the model's directory", error.Message);
        Assert.DoesNotContain(server.Requests, request => request.Contains("escaped", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFiles(_workDirectory, "escaped*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_partial_download_resumes_where_it_stopped()
    {
        using var server = HubServer();
        var partial = Path.Combine(CacheDirectory, "test-org--tiny-model", "main", "onnx", "model.onnx.partial");
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        File.WriteAllBytes(partial, _weights[..120_000]);

        var directory = await Store(server.BaseUrl).ResolveAsync(ModelId, CancellationToken.None);

        Assert.Contains("bytes=120000-", server.RangeHeaders);
        Assert.Equal(_weights, File.ReadAllBytes(Path.Combine(directory, "onnx", "model.onnx")));
        Assert.False(File.Exists(partial));
    }

    [Fact]
    public async Task A_file_that_does_not_match_its_checksum_is_rejected_and_discarded()
    {
        using var server = HubServer();
        server.Corrupt("onnx/model.onnx");

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => Store(server.BaseUrl).ResolveAsync(ModelId, CancellationToken.None));

        Assert.Contains("onnx/model.onnx", error.Message);
        Assert.Contains("SHA-256", error.Message);
        var cached = Path.Combine(CacheDirectory, "test-org--tiny-model", "main", "onnx");
        Assert.False(File.Exists(Path.Combine(cached, "model.onnx")));
        Assert.False(File.Exists(Path.Combine(cached, "model.onnx.partial")));
    }

    [Fact]
    public async Task A_cached_model_is_reused_with_the_server_gone()
    {
        string first;
        Uri endpoint;
        using (var server = HubServer())
        {
            endpoint = server.BaseUrl;
            first = await Store(endpoint).ResolveAsync(ModelId, CancellationToken.None);
        }

        var second = await Store(endpoint).ResolveAsync(ModelId, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(_weights, File.ReadAllBytes(Path.Combine(second, "onnx", "model.onnx")));
    }

    [Fact]
    public async Task Offline_with_nothing_cached_fails_fast_with_one_message_naming_the_model_the_url_and_the_ways_out()
    {
        Uri unreachable;
        using (var server = new LoopbackModelServer(HubPrefix))
        {
            unreachable = server.BaseUrl;
        }

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ModelStoreException>(() => Store(unreachable).ResolveAsync(ModelId, CancellationToken.None));
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains($"'{ModelId}'", error.Message);
        Assert.Contains($"{unreachable}{HubPrefix.TrimStart('/')}config.json", error.Message);
        Assert.Contains("Model:Id to a local directory", error.Message);
        Assert.Contains("synthetic-tiny", error.Message);
    }

    [Fact]
    public async Task A_mirror_with_a_manifest_serves_the_int8_export_and_is_checked_against_the_manifest()
    {
        using var server = new LoopbackModelServer("/models/tiny/") { PublishSha256 = false };
        File.Move(Path.Combine(_modelDirectory, "onnx", "model.onnx"), Path.Combine(_modelDirectory, "onnx", "model_quantized.onnx"));
        File.Delete(Path.Combine(_modelDirectory, "onnx", "model.onnx_data"));
        server.AddDirectory(_modelDirectory);
        server.Add("manifest.json", System.Text.Encoding.UTF8.GetBytes(ManifestFor(_modelDirectory)));
        var options = new ModelOptions { CacheDir = CacheDirectory, MirrorUrl = new Uri(server.BaseUrl, "models/tiny").ToString(), Precision = ModelPrecision.Int8 };

        var directory = await new Store(options, new HttpClient(), NullLogger<Store>.Instance).ResolveAsync(ModelId, CancellationToken.None);

        Assert.Equal(_weights, File.ReadAllBytes(Path.Combine(directory, "onnx", "model_quantized.onnx")));
        Assert.Contains("/models/tiny/onnx/model_int8.onnx", server.Requests);

        server.Corrupt("config.json");
        var corrupt = new ModelOptions { CacheDir = Path.Combine(_workDirectory, "cache-2"), MirrorUrl = options.MirrorUrl, Precision = ModelPrecision.Int8 };
        var error = await Assert.ThrowsAsync<ModelStoreException>(() => new Store(corrupt, new HttpClient(), NullLogger<Store>.Instance).ResolveAsync(ModelId, CancellationToken.None));
        Assert.Contains("config.json", error.Message);
    }

    [Fact]
    public async Task A_local_directory_is_used_as_it_is()
    {
        var directory = await Store(new Uri("http://127.0.0.1:9/")).ResolveAsync(_modelDirectory, CancellationToken.None);

        Assert.Equal(Path.GetFullPath(_modelDirectory), directory);
    }

    [Theory]
    [InlineData("synthetic-tiny", "synthetic")]
    [InlineData("not a repository id", "owner/name")]
    public async Task Ids_the_store_does_not_serve_are_refused_clearly(string modelId, string expected)
    {
        var error = await Assert.ThrowsAsync<ModelStoreException>(() => Store(new Uri("http://127.0.0.1:9/")).ResolveAsync(modelId, CancellationToken.None));

        Assert.Contains(expected, error.Message);
    }

    private LoopbackModelServer HubServer()
    {
        var server = new LoopbackModelServer(HubPrefix);
        server.AddDirectory(_modelDirectory);
        return server;
    }

    private Store Store(Uri hubEndpoint) =>
        new(new ModelOptions { CacheDir = CacheDirectory }, new HttpClient(), NullLogger<Store>.Instance, hubEndpoint);

    private static string ManifestFor(string directory)
    {
        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToDictionary(
            file => Path.GetRelativePath(directory, file),
            file => new { sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file))), size = new FileInfo(file).Length });
        return System.Text.Json.JsonSerializer.Serialize(new { files });
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
