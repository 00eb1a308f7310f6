using Microsoft.Extensions.Logging;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.ModelStore;
using OrleansSlm.Engine.Text;
using Store = OrleansSlm.Engine.ModelStore.ModelStore;

namespace OrleansSlm.Tests.ModelStore;

/// <summary>A gated repository (Gemma's): the token goes to the hub and nowhere else, and a refusal says what to do.</summary>
public sealed class GatedRepositoryTests : IDisposable
{
    private const string ModelId = "gated-org/gated-model";
    private const string HubPrefix = "/gated-org/gated-model/resolve/main/";
    private const string Token = "hf_secretTokenValue0123456789";

    private readonly string _workDirectory = Path.Combine(Path.GetTempPath(), "orleansslm-gated-" + Guid.NewGuid().ToString("N"));
    private readonly string _modelDirectory;

    public GatedRepositoryTests()
    {
        _modelDirectory = Path.Combine(_workDirectory, "source");
        SyntheticTokenizer.Write(_modelDirectory, 300);
        File.WriteAllText(Path.Combine(_modelDirectory, "config.json"), """{"model_type": "gemma3_text", "vocab_size": 300}""");
        Directory.CreateDirectory(Path.Combine(_modelDirectory, "onnx"));
        File.WriteAllBytes(Path.Combine(_modelDirectory, "onnx", "model.onnx"), [1, 2, 3, 4]);
    }

    public void Dispose() => Directory.Delete(_workDirectory, recursive: true);

    [Fact]
    public async Task Without_a_token_the_hubs_401_ends_with_one_message_naming_the_repository_and_how_to_get_access()
    {
        using var hub = GatedHub();

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => NewStore(hub, token: null, new CapturingLogger()).ResolveAsync(ModelId, CancellationToken.None));

        Assert.Contains($"Model '{ModelId}' is gated on Hugging Face", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{hub.BaseUrl}{ModelId}", error.Message, StringComparison.Ordinal);
        Assert.Contains("HF_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.All(hub.AuthorizationHeaders, header => Assert.Equal("", header));
    }

    [Fact]
    public async Task With_the_token_the_files_come_and_the_token_is_in_no_log_line()
    {
        using var hub = GatedHub();
        var log = new CapturingLogger();

        var directory = await NewStore(hub, Token, log).ResolveAsync(ModelId, CancellationToken.None);

        Assert.Equal([1, 2, 3, 4], File.ReadAllBytes(Path.Combine(directory, "onnx", "model.onnx")));
        Assert.All(hub.AuthorizationHeaders, header => Assert.Equal($"Bearer {Token}", header));
        Assert.NotEmpty(log.Lines);
        Assert.DoesNotContain(log.Lines, line => line.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_token_is_named_as_the_cause_without_its_value()
    {
        using var hub = GatedHub();

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => NewStore(hub, "hf_wrongToken", new CapturingLogger()).ResolveAsync(ModelId, CancellationToken.None));

        Assert.Contains("refused the token set in HF_TOKEN or Model:HuggingFaceToken", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hf_wrongToken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_is_not_sent_to_the_storage_server_the_hub_redirects_to()
    {
        using var storage = new LoopbackModelServer("/lfs/");
        storage.Add("model.onnx", [1, 2, 3, 4]);
        using var hub = GatedHub();
        hub.Redirect("onnx/model.onnx", new Uri(storage.BaseUrl, "/lfs/model.onnx"));

        var directory = await NewStore(hub, Token, new CapturingLogger()).ResolveAsync(ModelId, CancellationToken.None);

        Assert.Equal([1, 2, 3, 4], File.ReadAllBytes(Path.Combine(directory, "onnx", "model.onnx")));
        Assert.Equal([""], storage.AuthorizationHeaders);
        Assert.Contains(hub.AuthorizationHeaders, header => header == $"Bearer {Token}");
    }

    [Fact]
    public void The_token_comes_from_the_setting_else_from_hf_token()
    {
        Assert.Equal("from-setting", new ModelOptions { HuggingFaceToken = " from-setting " }.ResolveHuggingFaceToken());
        var previous = Environment.GetEnvironmentVariable("HF_TOKEN");
        try
        {
            Environment.SetEnvironmentVariable("HF_TOKEN", "from-environment");
            Assert.Equal("from-environment", new ModelOptions().ResolveHuggingFaceToken());
            Environment.SetEnvironmentVariable("HF_TOKEN", null);
            Assert.Null(new ModelOptions().ResolveHuggingFaceToken());
        }
        finally
        {
            Environment.SetEnvironmentVariable("HF_TOKEN", previous);
        }
    }

    private LoopbackModelServer GatedHub()
    {
        var server = new LoopbackModelServer(HubPrefix) { RequiredToken = Token };
        server.AddDirectory(_modelDirectory);
        return server;
    }

    private Store NewStore(LoopbackModelServer hub, string? token, CapturingLogger log) => new(
        new ModelOptions { CacheDir = Path.Combine(_workDirectory, "cache"), HuggingFaceToken = token }, new HttpClient(), log, hub.BaseUrl);

    /// <summary>Every line the store logs, formatted as a log sink would write it.</summary>
    private sealed class CapturingLogger : ILogger<Store>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
            {
                Lines.Add(formatter(state, exception) + exception);
            }
        }
    }
}
