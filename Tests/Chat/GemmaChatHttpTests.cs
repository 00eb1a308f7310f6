using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansSlm.Engine.Models;
using OrleansSlm.Engine.Text;
using OrleansSlm.Tests.Engine;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Chat;

/// <summary>
/// The service serving a Gemma 3 checkpoint (the tiny Gemma's weights in Google's layout, BF16, tokenizer.json):
/// prompts go through Gemma's template and tokenizer, and what that template refuses is a 400, not a 5xx.
/// </summary>
public sealed class GemmaChatHttpTests(GemmaChatHttpTests.GemmaFrontend gemma) : IClassFixture<GemmaChatHttpTests.GemmaFrontend>
{
    [Fact]
    public async Task A_system_and_user_message_are_rendered_with_gemmas_template_and_counted_with_its_tokenizer()
    {
        var completion = await CompleteAsync("""[{"role":"system","content":"Be brief."},{"role":"user","content":"What color is an apple?"}]""", 8);

        var expectedPrompt = new GemmaChatTemplate().Render([new ChatMessage("system", "Be brief."), new ChatMessage("user", "What color is an apple?")]);
        Assert.Equal(TokenizerLoader.Load(gemma.ModelDirectory).Encode(expectedPrompt).Count, completion.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(8, completion.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(gemma.ModelDirectory, completion.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Two_user_turns_in_a_row_are_a_400_naming_messages()
    {
        using var response = await gemma.Client.PostAsync("/v1/chat/completions", Body(
            """[{"role":"user","content":"Hi"},{"role":"user","content":"Again"}]""", 4));

        var error = await ApiErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("messages", error.GetProperty("param").GetString());
        Assert.Contains("alternate", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_model_list_names_the_gemma_model()
    {
        var models = await gemma.Client.GetFromJsonAsync<JsonElement>("/v1/models");

        Assert.Contains(models.GetProperty("data").EnumerateArray(), model => model.GetProperty("id").GetString() == gemma.ModelDirectory);
    }

    private async Task<JsonElement> CompleteAsync(string messages, int maxTokens)
    {
        using var response = await gemma.Client.PostAsync("/v1/chat/completions", Body(messages, maxTokens));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private StringContent Body(string messages, int maxTokens) => new(
        $$"""{"model":{{JsonSerializer.Serialize(gemma.ModelDirectory)}},"messages":{{messages}},"max_tokens":{{maxTokens}},"temperature":0,"ignore_eos":true}""",
        Encoding.UTF8, "application/json");

    /// <summary>An embedded frontend whose <c>Model:Id</c> is a Gemma 3 checkpoint directory written for the class.</summary>
    public sealed class GemmaFrontend : IAsyncLifetime
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "orleansslm-gemma-http-" + Guid.NewGuid().ToString("N"));
        private FrontendFactory? _frontend;

        public string ModelDirectory => Path.Combine(_root, "gemma-3-tiny");

        public HttpClient Client { get; private set; } = null!;

        public Task InitializeAsync()
        {
            var description = TinyGemma.Description with { VocabSize = 512, WeightDtype = "bfloat16", MaxPositionEmbeddings = 256 };
            var weights = new CheckpointWeights("BF16", untied: false, description, TinyGemma.Weights);
            Directory.CreateDirectory(ModelDirectory);
            weights.Description.Save(Path.Combine(ModelDirectory, "config.json"));
            SyntheticGemmaTokenizer.Write(ModelDirectory, description.VocabSize);
            SafeTensorsWriter.WriteCheckpoint(ModelDirectory, weights, "BF16", shards: 1);
            _frontend = FrontendFactory.Embedded(new Dictionary<string, string?>
            {
                ["Model:Id"] = ModelDirectory,
                ["Model:CacheDir"] = Path.Combine(_root, "cache"),
            });
            Client = _frontend.CreateClient();
            return Task.CompletedTask;
        }

        public async Task DisposeAsync()
        {
            if (_frontend is not null)
            {
                await _frontend.DisposeAsync();
            }

            Directory.Delete(_root, recursive: true);
        }
    }
}
