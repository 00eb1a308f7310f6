using OrleansSlm.Engine.Models;
using OrleansSlm.Engine.Text;

namespace OrleansSlm.Tests.Text;

/// <summary>The generated Gemma-style tokenizer of <c>synthetic-gemma3-270m</c>, read back through the loader as any model's.</summary>
public sealed class SyntheticGemmaTokenizerTests : IClassFixture<SyntheticGemmaTokenizerTests.FullSize>
{
    private readonly ITextTokenizer _tokenizer;

    public SyntheticGemmaTokenizerTests(FullSize fullSize) => _tokenizer = fullSize.Tokenizer;

    public static TheoryData<string> Texts =>
    [
        "The quick brown fox jumps over the lazy dog.",
        "  two spaces, a tab\tand a newline\n",
        "Prices: 12345 apples cost 3.50, order #42.",
        "Année, naïve café, Größe, привет мир, 中文",
        "Emoji: 😀🍎👩‍👩‍👧 and a flag 🇫🇷!",
        "<start_of_turn>user\nHello 😀<end_of_turn>\n<start_of_turn>model\n",
    ];

    [Theory]
    [MemberData(nameof(Texts))]
    public void Text_round_trips_through_the_generated_tokenizer(string text)
    {
        var ids = _tokenizer.Encode(text);

        Assert.Equal(text, _tokenizer.Decode(ids, skipSpecialTokens: false));
        Assert.All(ids, id => Assert.InRange(id, 0, SyntheticModels.Gemma3.Description.VocabSize - 1));
    }

    [Fact]
    public void The_vocabulary_has_gemma_3s_size_and_its_special_ids()
    {
        Assert.Equal(262_144, _tokenizer.VocabularySize);
        Assert.Equal(
            (0, 1, 2, 3, 105, 106),
            (_tokenizer.TokenToId("<pad>"), _tokenizer.TokenToId("<eos>"), _tokenizer.TokenToId("<bos>"), _tokenizer.TokenToId("<unk>"),
                _tokenizer.TokenToId("<start_of_turn>"), _tokenizer.TokenToId("<end_of_turn>")));
        Assert.Equal(SyntheticModels.Gemma3.Description.EosTokenIds, [_tokenizer.TokenToId("<eos>")!.Value, _tokenizer.TokenToId("<end_of_turn>")!.Value]);
    }

    [Fact]
    public void Turn_markers_are_whole_tokens_and_a_character_outside_the_vocabulary_becomes_its_bytes()
    {
        var ids = _tokenizer.Encode("<start_of_turn>user\n😀<end_of_turn>");

        Assert.Equal(105, ids[0]);
        Assert.Equal(106, ids[^1]);
        // 😀 is F0 9F 98 80 in UTF-8: four byte tokens.
        Assert.Equal(["<0xF0>", "<0x9F>", "<0x98>", "<0x80>"], ids.Skip(ids.Count - 5).Take(4).Select(id => $"<0x{id - _tokenizer.TokenToId("<0x00>")!.Value:X2}>"));
    }

    [Fact]
    public void Learned_merges_make_common_words_single_tokens()
    {
        Assert.Single(_tokenizer.Encode(" the"));
        Assert.True(_tokenizer.Encode("The quick brown fox jumps over the lazy dog.").Count < 15);
    }

    [Fact]
    public void The_same_size_writes_the_same_files_byte_for_byte()
    {
        var first = Directory.CreateTempSubdirectory("gemma-tokenizer-");
        var second = Directory.CreateTempSubdirectory("gemma-tokenizer-");
        try
        {
            SyntheticGemmaTokenizer.Write(first.FullName, 5000);
            SyntheticGemmaTokenizer.Write(second.FullName, 5000);

            Assert.Equal(File.ReadAllBytes(Path.Combine(first.FullName, "tokenizer.json")), File.ReadAllBytes(Path.Combine(second.FullName, "tokenizer.json")));
            Assert.Equal(5000, TokenizerLoader.Load(first.FullName).VocabularySize);
        }
        finally
        {
            first.Delete(recursive: true);
            second.Delete(recursive: true);
        }
    }

    /// <summary>The full-size tokenizer, written once for the class.</summary>
    public sealed class FullSize : IDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("gemma-tokenizer-full-");

        public FullSize()
        {
            SyntheticGemmaTokenizer.Write(_directory.FullName, SyntheticModels.Gemma3.Description.VocabSize);
            Tokenizer = TokenizerLoader.Load(_directory.FullName);
        }

        public ITextTokenizer Tokenizer { get; }

        public void Dispose() => _directory.Delete(recursive: true);
    }
}
