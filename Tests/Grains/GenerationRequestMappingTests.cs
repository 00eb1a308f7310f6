using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Sampling;
using OrleansSlm.Engine.Text;
using OrleansSlm.Grains.Inference;
using OrleansSlm.GrainsInterfaces.Inference;
using ContractSampling = OrleansSlm.GrainsInterfaces.Inference.Sampling;

namespace OrleansSlm.Tests.Grains;

/// <summary>The one mapping from the grain contract's request to the engine's: every refusal names its field; defaults come from the engine.</summary>
public sealed class GenerationRequestMappingTests
{
    private static readonly LoadedModel Gemma = new(
        "gemma-test", "", "", IsSynthetic: true, new ContextOnlyDecoder(64), new CharacterTokenizer(), new GemmaChatTemplate());

    [Fact]
    public void Two_user_turns_in_a_row_on_a_gemma_model_are_the_callers_to_fix()
    {
        var request = Request([new ChatTurn("user", "hi"), new ChatTurn("user", "again")]);

        var rejected = Assert.Throws<InferenceRejectedException>(() => request.ToGenerationRequest(Gemma));

        Assert.Equal((InferenceRejection.InvalidRequest, "messages"), (rejected.Reason, rejected.Param));
        Assert.Contains("alternate user and assistant", rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_model_is_not_found_and_a_prompt_past_the_context_is_refused()
    {
        Assert.Equal(InferenceRejection.ModelNotFound,
            Assert.Throws<InferenceRejectedException>(() => (Request([new ChatTurn("user", "hi")]) with { Model = "other" }).ToGenerationRequest(Gemma)).Reason);
        Assert.Equal(InferenceRejection.ContextLengthExceeded,
            Assert.Throws<InferenceRejectedException>(() => Request([new ChatTurn("user", new string('x', 100))]).ToGenerationRequest(Gemma)).Reason);
    }

    [Fact]
    public void Without_max_tokens_a_request_gets_the_default_cut_to_the_room_its_prompt_leaves()
    {
        var unset = Request([new ChatTurn("user", "hi")]) with { MaxTokens = null, DefaultMaxTokens = 16 };

        var roomy = Gemma with { Decoder = new ContextOnlyDecoder(256) };

        var room = 256 - unset.ToGenerationRequest(roomy).PromptTokens.Count;

        Assert.InRange(room, 17, 255);
        Assert.Equal(16, unset.ToGenerationRequest(roomy).MaxTokens);
        Assert.Equal(room, (unset with { DefaultMaxTokens = 1000 }).ToGenerationRequest(roomy).MaxTokens);
        Assert.Equal(InferenceRejection.ContextLengthExceeded,
            Assert.Throws<InferenceRejectedException>(() => (unset with { MaxTokens = 1000 }).ToGenerationRequest(roomy)).Reason);
    }

    [Fact]
    public void Fields_left_out_take_the_engines_defaults_and_tiny_temperatures_are_greedy()
    {
        var defaults = new SamplingOptions();

        Assert.Equal(defaults, new ContractSampling().ToSamplingOptions());
        Assert.Equal(defaults with { TopK = 5 }, new ContractSampling(TopK: 5).ToSamplingOptions());
        Assert.Equal(0, new ContractSampling(Temperature: 1e-39f).ToSamplingOptions().Temperature);
        Assert.Equal(0.5f, new ContractSampling(Temperature: 0.5f).ToSamplingOptions().Temperature);
    }

    private static ChatRequest Request(IReadOnlyList<ChatTurn> turns) => new("gemma-test", turns, 4, new ContractSampling(), [], IgnoreEos: false, DefaultMaxTokens: 4);

    /// <summary>A tokenizer with one token per character, enough to measure prompts against the context.</summary>
    private sealed class CharacterTokenizer : ITextTokenizer
    {
        public int VocabularySize => 65_536;

        public IReadOnlyList<int> Encode(string text) => [.. text.Select(character => (int)character)];

        public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = true) => string.Concat(ids.Select(id => (char)id));

        public int? TokenToId(string token) => null;
    }

    /// <summary>A decoder that only states its context; the mapping never runs it.</summary>
    private sealed class ContextOnlyDecoder(int context) : IDecoder
    {
        public OrleansSlm.Engine.Models.ModelDescription Description => Engine.TinyModel.Description;

        public int MaxSequenceLength => context;

        public IDecoderSequence StartSequence() => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
